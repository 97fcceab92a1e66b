// What the enterprise has to do, on its home page: extensions that are open (from 20 December) or
// overdue (expired registrations leave the public list at once), title certificates waiting for
// confirmation, offers waiting for the person, and the first filing when there is none yet.
import { ENTERPRISE_TYPES, label } from './labels'
import { daysBetween, extensionOpen, extensionOpensOn } from './format'

export interface DueItem {
  level: 'error' | 'warning' | 'info'
  text: string
  to: string
  action: string
}

export interface RegistrationLike {
  enterprise_type?: string
  status?: string
  valid_until?: string | null
}

const SOON_DAYS = 30

export function dueItems(registrations: RegistrationLike[], today: string, pendingTitles: number, pendingOffers: number): DueItem[] {
  const items: DueItem[] = []
  for (const registration of registrations) {
    const type = label(ENTERPRISE_TYPES, registration.enterprise_type)
    const until = registration.valid_until
    if (!until) continue
    if (registration.status === 'expired' || until < today) {
      items.push({ level: 'error', to: '/extension', action: '办理延期',
        text: `${type}类进疆登记已于 ${until} 到期，已不在进疆企业信息公示名单中。请尽快办理进疆信息公示延期。` })
    } else if (extensionOpen(until, today)) {
      items.push({ level: 'warning', to: '/extension', action: '办理延期',
        text: `${type}类进疆登记有效期至 ${until}，自 ${extensionOpensOn(until)} 起可办理进疆信息公示延期，请在到期前办理。` })
    } else if (daysBetween(today, extensionOpensOn(until)) <= SOON_DAYS) {
      items.push({ level: 'info', to: '/extension', action: '查看',
        text: `${type}类进疆登记有效期至 ${until}，将于 ${extensionOpensOn(until)} 开放延期办理。` })
    }
  }
  if (!registrations.some((registration) => registration.enterprise_type !== 'cost_consulting')) {
    items.push({ level: 'info', to: '/filings/first', action: '去报送',
      text: '本企业尚未办理首次进疆信息报送。请先聘用人员，再按企业类型办理首次进疆信息报送。' })
  }
  if (pendingTitles > 0) {
    items.push({ level: 'warning', to: '/titles', action: '去确认',
      text: `有 ${pendingTitles} 张本企业人员登记的职称证书等待单位确认。` })
  }
  if (pendingOffers > 0) {
    items.push({ level: 'info', to: '/employments', action: '查看',
      text: `有 ${pendingOffers} 个聘用邀请等待人员本人在微信小程序中人脸识别后确认。` })
  }
  return items
}
