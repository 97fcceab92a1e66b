/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

// sm-crypto ships no types; only what the software-certificate login uses
declare module 'sm-crypto' {
  interface Sm2Options {
    hash?: boolean
    der?: boolean
    userId?: string
    publicKey?: string
  }
  export const sm2: {
    doSignature(message: string | number[], privateKeyHex: string, options?: Sm2Options): string
    doVerifySignature(message: string | number[], signatureHex: string, publicKeyHex: string, options?: Sm2Options): boolean
    getPublicKeyFromPrivateKey(privateKeyHex: string): string
    generateKeyPairHex(): { privateKey: string; publicKey: string }
  }
}
