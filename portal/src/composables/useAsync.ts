// A page's data: loading, the error (with retry), the value.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

export interface AsyncState<T> {
  data: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<unknown>
  reload: () => Promise<void>
}

export function useAsync<T>(load: () => Promise<T>, immediate = true): AsyncState<T> {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let generation = 0
  async function reload(): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const value = await load()
      if (mine === generation) data.value = value
    } catch (failure) {
      if (mine === generation) error.value = failure
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  if (immediate) void reload()
  return { data, loading, error, reload }
}
