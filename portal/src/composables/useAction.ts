// A button's action: `running` while it runs (the button's spinner), its failure kept in `error`
// for an ErrorAlert. Actions that show their failures in one place share one error.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

export interface Action {
  running: Ref<boolean>
  error: Ref<unknown> | ShallowRef<unknown>
  run: () => Promise<void>
}

export function useAction(action: () => Promise<unknown>, error: Ref<unknown> | ShallowRef<unknown> = shallowRef<unknown>(null)): Action {
  const running = ref(false)
  async function run(): Promise<void> {
    running.value = true
    error.value = null
    try {
      await action()
    } catch (failure) {
      error.value = failure
    } finally {
      running.value = false
    }
  }
  return { running, error, run }
}
