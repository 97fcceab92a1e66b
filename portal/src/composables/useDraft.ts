// Drafts: what the user typed into a form is kept in this tab's sessionStorage as they type, per
// enterprise, so that nothing is lost when the session ends (expiry, 401) and they log in again,
// or when they reload the page. A successful submission clears it.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { useSession } from '@/stores/session'

const PREFIX = 'xj.draft.'
const SAVE_DELAY_MS = 250

function storageKey(uscc: string, key: string): string {
  return `${PREFIX}${uscc}.${key}`
}

export function clearDrafts(uscc?: string): void {
  const prefix = uscc ? `${PREFIX}${uscc}.` : PREFIX
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const name = sessionStorage.key(i)
    if (name?.startsWith(prefix)) sessionStorage.removeItem(name)
  }
}

export interface Draft {
  /** Whether a saved draft was put back into the form. */
  restored: Ref<boolean>
  save: () => void
  clear: () => void
}

/** Keeps `state` (a reactive object) in a draft named `key`; restores it now if one exists. */
export function useDraft<T extends object>(key: string, state: T): Draft {
  const session = useSession()
  const uscc = session.enterprise?.uscc ?? 'anonymous'
  const name = storageKey(uscc, key)
  const restored = ref(false)
  const raw = sessionStorage.getItem(name)
  if (raw) {
    try {
      Object.assign(state, JSON.parse(raw))
      restored.value = true
    } catch {
      sessionStorage.removeItem(name)
    }
  }
  let timer: ReturnType<typeof setTimeout> | null = null
  let cleared = false
  const save = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!cleared) sessionStorage.setItem(name, JSON.stringify(state))
  }
  watch(() => state, () => {
    cleared = false
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }, { deep: true })
  onBeforeUnmount(() => {
    if (timer) save()
  })
  const clear = () => {
    if (timer) clearTimeout(timer)
    timer = null
    cleared = true
    restored.value = false
    sessionStorage.removeItem(name)
  }
  return { restored, save, clear }
}
