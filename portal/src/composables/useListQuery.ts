// A paged list whose filters and page travel in the URL (?status=…&page=…): a reload, the back
// button or a copied link shows the same page of the same list.
import { reactive, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useListQuery<F extends Record<string, string>>(defaults: F, reload: () => Promise<unknown>) {
  const route = useRoute()
  const router = useRouter()
  const read = (name: string) => (typeof route.query[name] === 'string' ? (route.query[name] as string) : '')
  const filters = reactive(Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, read(name) || value]))) as F
  const page = ref(Number(read('page')) > 0 ? Number(read('page')) : 1)

  /** Shows page `next` of the list as filtered now (the first page after the filters changed). */
  function show(next = 1): void {
    page.value = next
    const query: Record<string, string> = {}
    for (const [name, value] of Object.entries(filters)) if (value) query[name] = value
    if (next > 1) query.page = String(next)
    void router.replace({ query })
    void reload()
  }

  return { filters, page, show }
}
