import { defineStore } from 'pinia'
import { apiPost, endSession } from '@/api/client'
import { clearDrafts } from '@/composables/useDraft'

const STORAGE_KEY = 'xj.portal.session'

export interface Enterprise {
  uscc: string
  name: string
}

interface Stored {
  token: string
  expiresAt: string
  enterprise: Enterprise
}

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as Stored) : null
  } catch {
    return null
  }
}

export type EndReason = 'expired' | 'logout' | null

// The enterprise's session (the CA login's token), kept per browser tab. It ends on logout, on
// expiry, or when any call answers 401; what the user typed stays in their drafts meanwhile.
export const useSession = defineStore('session', {
  state: () => {
    const stored = load()
    return {
      token: stored?.token ?? (null as string | null),
      expiresAt: stored?.expiresAt ?? (null as string | null),
      enterprise: stored?.enterprise ?? (null as Enterprise | null),
      endReason: null as EndReason,
    }
  },
  getters: {
    // the server decides whether the token is still good (401 otherwise): the user's PC clock may be wrong
    authenticated: (state): boolean => !!state.token,
  },
  actions: {
    /** Challenge → signature (by the USB key or the software certificate) → token. */
    async login(certificatePem: string, sign: (nonceBase64: string) => Promise<string>): Promise<Enterprise> {
      const challenge = await apiPost('/api/v1/ent/auth/challenge')
      const signature = await sign(challenge.nonce ?? '')
      const answer = await apiPost('/api/v1/ent/auth/login', {
        body: { challenge_id: challenge.challenge_id ?? '', certificate: certificatePem, signature },
      })
      const enterprise = { uscc: answer.enterprise?.uscc ?? '', name: answer.enterprise?.name ?? '' }
      if (this.enterprise && this.enterprise.uscc !== enterprise.uscc) clearDrafts(this.enterprise.uscc)
      this.token = answer.token ?? null
      this.expiresAt = answer.expires_at ?? null
      this.enterprise = enterprise
      this.endReason = null
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token: this.token, expiresAt: this.expiresAt, enterprise }))
      return enterprise
    },
    /** The server no longer accepts the token: keep the enterprise (and its drafts) for the next login. */
    expire(): void {
      this.token = null
      this.expiresAt = null
      this.endReason = 'expired'
      sessionStorage.removeItem(STORAGE_KEY)
    },
    async logout(): Promise<void> {
      const token = this.token
      if (this.enterprise) clearDrafts(this.enterprise.uscc)
      this.token = null
      this.expiresAt = null
      this.enterprise = null
      this.endReason = 'logout'
      sessionStorage.removeItem(STORAGE_KEY)
      if (token) await endSession(token)
    },
  },
})
