// Sending a form: its own rules first, then one request under one Idempotency-Key (useSubmission).
// A refusal's field errors land on the form items (useServerErrors); anything else is shown above
// the form (submitError, with a retry when one is worth it).
import { ref, type Ref } from 'vue'
import type { FormInstance } from 'element-plus'
import { apiPost, type BodyOf } from '@/api/client'
import type { Case } from '@/api/types'
import { useServerErrors } from './useServerErrors'
import { useSubmission } from './useSubmission'

export function useFormSubmit(knownProps: () => string[], formRef?: Ref<FormInstance | undefined>) {
  const submission = useSubmission()
  const errors = useServerErrors(knownProps)
  const submitError = ref<unknown>(null)

  /** Checks the form, builds the body (after the check) and sends it. The answer; undefined when
   * the form is invalid or the request failed (then shown). */
  async function send<B, T>(build: () => B, action: (body: B, idempotencyKey: string) => Promise<T>): Promise<T | undefined> {
    submitError.value = null
    errors.clear()
    try {
      await formRef?.value?.validate()
    } catch {
      return undefined
    }
    const body = build()
    try {
      return await submission.run(body, (key) => action(body, key))
    } catch (error) {
      if (!errors.fromError(error)) submitError.value = error
      return undefined
    }
  }

  return { errors, submitError, submitting: submission.submitting, send }
}

export type FilingBody = BodyOf<'/api/v1/ent/filings', 'post'>

export interface FilingHooks {
  formRef?: Ref<FormInstance | undefined>
  /** The case was approved (clear the draft, the form). */
  onApproved?: () => unknown
  /** The user closed the result of an approved case. */
  onDone?: () => unknown
}

/** A filing (POST /api/v1/ent/filings): the case's result for CaseResultDialog; a rejected case's
 * reasons land on the form items like a refusal's. */
export function useFilingSubmit(knownProps: () => string[], hooks: FilingHooks = {}) {
  const sender = useFormSubmit(knownProps, hooks.formRef)
  const result = ref<Case | null>(null)

  async function file(build: () => FilingBody): Promise<void> {
    const answer = await sender.send(build, (body, key) => apiPost('/api/v1/ent/filings', { body, idempotencyKey: key }))
    if (!answer) return
    result.value = answer
    if (answer.status === 'approved') await hooks.onApproved?.()
    else sender.errors.fromReasons(answer.reasons)
  }

  function closeResult(): void {
    const approved = result.value?.status === 'approved'
    result.value = null
    if (approved) hooks.onDone?.()
  }

  return { ...sender, result, file, closeResult }
}
