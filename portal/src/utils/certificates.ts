// Whether a certificate can be put into a filing, and if not why — the same rules the automatic
// review applies (filing-svc review._certificate_checks), so the page says it before submitting.
import { CERTIFICATE_STATUSES, label } from './labels'

export interface CertificateLike {
  id?: string
  kind?: string
  person_id?: string
  status?: string
  valid_until?: string | null
}

export interface FilingContext {
  /** Certificates the registration already carries. */
  filedIds: Set<string>
  /** Actively employed staff. */
  staffIds: Set<string>
  today: string
}

export function filingContext(filed: { id?: string }[], staff: { person_id: string }[], today: string): FilingContext {
  return {
    filedIds: new Set(filed.map((entry) => entry.id ?? '')),
    staffIds: new Set(staff.map((member) => member.person_id)),
    today,
  }
}

/** A review's reasons name `<list>.<index>` of the ids submitted in that list: their messages by id. */
export function errorsByRow(byPath: Record<string, string[]>, list: string, submitted: string[]): Record<string, string> {
  const rows: Record<string, string> = {}
  const pattern = new RegExp(`^${list}\\.(\\d+)$`)
  for (const [path, messages] of Object.entries(byPath)) {
    const match = pattern.exec(path)
    const id = match ? submitted[Number(match[1])] : undefined
    if (id) rows[id] = messages.join('；')
  }
  return rows
}

export function fileBlocker(certificate: CertificateLike, context: FilingContext): string | null {
  if (certificate.id && context.filedIds.has(certificate.id)) return '已报送'
  if (!certificate.person_id || !context.staffIds.has(certificate.person_id)) return '持证人不是本企业在职人员'
  if (certificate.kind === 'title') {
    if (certificate.status !== 'confirmed') return `职称证书${certificate.status === 'pending_confirmation' ? '尚未经本企业确认' : `状态为“${label(CERTIFICATE_STATUSES, certificate.status)}”`}`
  } else if (certificate.status !== 'valid') {
    return `证书状态为“${label(CERTIFICATE_STATUSES, certificate.status)}”`
  }
  if (certificate.valid_until && certificate.valid_until < context.today) return `证书已于 ${certificate.valid_until} 过期`
  return null
}

export function certificateText(certificate: { person_name?: string; type?: string | null; cert_no?: string; specialties?: string[] | null }): string {
  const specialties = certificate.specialties?.length ? `（${certificate.specialties.join('、')}）` : ''
  return `${certificate.person_name ?? ''} · ${certificate.type ?? ''}${specialties} · ${certificate.cert_no ?? ''}`
}
