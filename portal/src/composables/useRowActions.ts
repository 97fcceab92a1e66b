// A list's row actions (cancel an offer, terminate, confirm or revoke a certificate…): asked first,
// then done; success is said in a message and the list reloads, a failure shows above the list.
import { ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'

export interface Question {
  title: string
  message: string
  /** The confirming button's text. */
  button: string
}

/** Whether the user confirmed. */
export async function confirmed({ title, message, button }: Question): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, { confirmButtonText: button, cancelButtonText: '取消', type: 'warning' })
    return true
  } catch {
    return false
  }
}

export function useRowActions(reload: () => Promise<unknown>) {
  const actionError = ref<unknown>(null)

  async function act(question: Question, action: () => Promise<unknown>, done: string): Promise<void> {
    if (!(await confirmed(question))) return
    actionError.value = null
    try {
      await action()
      ElMessage.success(done)
      await reload()
    } catch (error) {
      actionError.value = error
    }
  }

  return { actionError, act }
}
