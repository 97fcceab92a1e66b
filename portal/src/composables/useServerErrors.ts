// The server's words, on the form field they concern: a 422's field paths ("data.basic.contact_phone",
// "id_card_no") and a rejected case's reasons ("manager_person_id", "certificate_ids.0") land on the
// el-form-item whose prop is that path (without "data."). What no field shows is listed above the form.
import { computed, reactive } from 'vue'
import { ApiError } from '@/api/errors'
import type { Reason } from '@/api/types'

export function normalizePath(path: string): string {
  return path.replace(/^data\./, '').replace(/^json\./, '')
}

export function useServerErrors(knownProps: () => string[]) {
  const byPath = reactive<Record<string, string[]>>({})

  function clear(): void {
    for (const key of Object.keys(byPath)) delete byPath[key]
  }

  function add(path: string, messages: string[]): void {
    const key = normalizePath(path || '_schema')
    byPath[key] = [...(byPath[key] ?? []), ...messages]
  }

  /** The field errors of a refusal (a 422, or a 409 naming its field); true when there were any. */
  function fromError(error: unknown): boolean {
    clear()
    if (!(error instanceof ApiError) || !Object.keys(error.errors).length) return false
    for (const [path, messages] of Object.entries(error.errors)) add(path, messages)
    return Object.keys(error.errors).length > 0
  }

  /** A rejected case's reasons. */
  function fromReasons(reasons: Reason[] | undefined): void {
    clear()
    for (const reason of reasons ?? []) add(reason.field ?? '', [reason.message ?? reason.error ?? ''])
  }

  /** The messages for one form item: its own path and any `path.<index>` / `path.<child>` below it
   * that no other known item shows. */
  function errorOf(prop: string): string {
    const props = knownProps()
    const messages: string[] = []
    for (const [path, list] of Object.entries(byPath)) {
      if (path === prop) messages.push(...list)
      else if (path.startsWith(`${prop}.`) && !props.includes(path)) messages.push(...list)
    }
    return messages.join('；')
  }

  /** What no form item shows (reasons without a field, or fields this form does not have). */
  const unplaced = computed(() => {
    const props = knownProps()
    return Object.entries(byPath)
      .filter(([path]) => !props.some((prop) => path === prop || path.startsWith(`${prop}.`)))
      .flatMap(([, list]) => list)
  })

  return { byPath, clear, add, fromError, fromReasons, errorOf, unplaced }
}
