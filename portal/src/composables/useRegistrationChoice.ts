// Pages that act on one registration (personnel, changes, booklet) let the user choose its
// enterprise type; the choice travels in the URL (?type=) so a reload or a re-login keeps it.
import { computed, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { Registration } from '@/api/types'

export function useRegistrationChoice(registrations: () => Registration[]) {
  const route = useRoute()
  const router = useRouter()
  const wanted = ref(typeof route.query.type === 'string' ? route.query.type : '')
  const selectedType = computed({
    get: () => {
      const list = registrations()
      if (list.some((registration) => registration.enterprise_type === wanted.value)) return wanted.value
      return list[0]?.enterprise_type ?? ''
    },
    set: (type: string) => {
      wanted.value = type
      void router.replace({ query: { ...route.query, type } })
    },
  })
  const selected = computed(() => registrations().find((registration) => registration.enterprise_type === selectedType.value) ?? null)
  return { selectedType, selected }
}
