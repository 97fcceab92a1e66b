// The enterprise's actively employed staff (every one is real-name verified: offers need it).
import { apiGetAll } from '@/api/client'
import type { Employment } from '@/api/types'

export interface StaffMember {
  person_id: string
  name: string
  id_card_masked: string
  contract_end: string
}

export async function loadActiveStaff(): Promise<StaffMember[]> {
  const active = await apiGetAll<'/api/v1/ent/employments', Employment>('/api/v1/ent/employments', { query: { status: 'active' } })
  return active.map((employment) => ({
    person_id: employment.person_id ?? '',
    name: employment.person_name ?? '',
    id_card_masked: employment.id_card_masked ?? '',
    contract_end: employment.contract_end ?? '',
  }))
}

export function staffLabel(member: { name?: string; id_card_masked?: string } | null | undefined): string {
  if (!member) return ''
  return `${member.name ?? ''}（${member.id_card_masked ?? ''}）`
}
