// One submission = one Idempotency-Key: a retry of the same body after a network failure or a 503
// sends the same key (the gateway does it once); a changed body or a finished answer starts anew.
import { ref } from 'vue'
import { ApiError } from '@/api/errors'
import { uuid4 } from '@/utils/ids'

export function useSubmission() {
  const submitting = ref(false)
  let key: string | null = null
  let fingerprint = ''

  async function run<T>(body: unknown, action: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const next = JSON.stringify(body ?? null)
    if (!key || next !== fingerprint) {
      key = uuid4()
      fingerprint = next
    }
    submitting.value = true
    try {
      const result = await action(key)
      key = null
      return result
    } catch (error) {
      if (!(error instanceof ApiError && error.retryable)) key = null
      throw error
    } finally {
      submitting.value = false
    }
  }

  return { submitting, run }
}
