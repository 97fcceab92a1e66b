import { defineStore } from 'pinia'
import { apiGet } from '@/api/client'
import type { PortalSettings } from '@/api/types'
import { shanghaiDay } from '@/utils/format'

// what the build cannot know: the environment, the business date, where the CA helper listens
export const useSettings = defineStore('settings', {
  state: () => ({
    loaded: false,
    env: 'prod' as NonNullable<PortalSettings['env']>,
    today: shanghaiDay(new Date()),
    softwareCertificate: false,
    caHelperUrls: ['http://127.0.0.1:21051', 'https://127.0.0.1:21061'] as string[],
  }),
  actions: {
    async load(force = false): Promise<void> {
      if (this.loaded && !force) return
      const settings = await apiGet('/api/v1/portal/settings')
      this.env = settings.env ?? 'prod'
      this.today = settings.today ?? this.today
      this.softwareCertificate = settings.software_certificate === true
      if (settings.ca_helper_urls?.length) this.caHelperUrls = settings.ca_helper_urls
      this.loaded = true
    },
  },
})
