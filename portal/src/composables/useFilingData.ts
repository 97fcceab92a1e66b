// What the pages that file or change personnel certificates work with: the registrations that can
// carry certificates (every type but cost consulting), the enterprise's certificates and its active
// staff, and which registration the user chose (in the URL).
import { computed } from 'vue'
import { apiGet, apiGetAll } from '@/api/client'
import type { Certificate } from '@/api/types'
import { useSettings } from '@/stores/settings'
import { useAsync } from './useAsync'
import { useRegistrationChoice } from './useRegistrationChoice'
import { loadActiveStaff } from './useStaff'

export function useFilingData() {
  const settings = useSettings()
  const state = useAsync(async () => {
    await settings.load() // the business date: which certificates are still valid
    const [registrations, certificates, staff] = await Promise.all([
      apiGet('/api/v1/ent/registrations'),
      apiGetAll<'/api/v1/ent/certificates', Certificate>('/api/v1/ent/certificates'),
      loadActiveStaff(),
    ])
    return {
      registrations: (registrations.items ?? []).filter((registration) => registration.enterprise_type !== 'cost_consulting'),
      certificates, staff,
    }
  })
  const registrations = computed(() => state.data.value?.registrations ?? [])
  const certificates = computed(() => state.data.value?.certificates ?? [])
  const staff = computed(() => state.data.value?.staff ?? [])
  const { selectedType, selected } = useRegistrationChoice(() => registrations.value)
  return { state, registrations, certificates, staff, selectedType, selected }
}
