import { createVerify, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { sm2 } from 'sm-crypto'
import { describe, expect, it } from 'vitest'
import {
  base64ToBytes, bytesToBase64, hexToBytes, octetString, oid, p1363ToDer, readDer, readOid, readPem, sequence, tlv, toPem,
} from './der'
import { SoftCertError, readCertificateFile, readPrivateKeyFile, signNonce, type SoftCertificate } from './softcert'
import { OID, parseCertificate } from './x509'
import { ECDSA_CERTIFICATE, RSA_CERTIFICATE, SM2_CERTIFICATE } from './testdata/certificates'

const NONCE = new Uint8Array(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff))

describe('certificates as the login page reads them', () => {
  it.each([
    ['rsa', RSA_CERTIFICATE],
    ['ecdsa', ECDSA_CERTIFICATE],
    ['sm2', SM2_CERTIFICATE],
  ])('%s: the enterprise, its USCC, the issuer, the validity', (algorithm, pem) => {
    const info = parseCertificate(readPem(pem)[0].der)
    expect(info.algorithm).toBe(algorithm)
    expect(info.subjectName).toBe('四川黄河建设集团有限公司')
    expect(info.uscc).toBe('9151010029141777XB')
    expect(info.issuerName).toMatch(/^XJ Dev Root CA/)
    expect(info.notBefore.toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(info.notAfter.toISOString()).toBe('2027-01-01T00:00:00.000Z')
  })

  it('refuses what is not a certificate', () => {
    expect(() => readCertificateFile('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(SoftCertError)
    expect(() => parseCertificate(new Uint8Array([0x30, 0x82, 0x01]))).toThrow('无法读取证书')
  })
})

describe('DER', () => {
  it('reads and writes object identifiers and PEM', () => {
    expect(readOid(readDer(oid(OID.sm2Curve)))).toBe('1.2.156.10197.1.301')
    const der = sequence(oid(OID.p256), octetString(new Uint8Array(200)))
    expect(readPem(toPem('TEST', der))[0].der).toEqual(der)
    expect(base64ToBytes(bytesToBase64(der))).toEqual(der)
  })

  it('re-encodes WebCrypto\'s P1363 ECDSA signature as the DER a USB key gives', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    for (let i = 0; i < 20; i++) { // leading zero bytes and high bits both occur
      const raw = new Uint8Array(nodeSign('sha256', NONCE, { key: privateKey, dsaEncoding: 'ieee-p1363' }))
      expect(nodeVerify('sha256', NONCE, { key: publicKey, dsaEncoding: 'der' }, p1363ToDer(raw))).toBe(true)
    }
  })
})

function softCertificate(algorithm: 'rsa' | 'ecdsa', spki: Uint8Array, point: Uint8Array | null): SoftCertificate {
  const info = parseCertificate(readPem(algorithm === 'rsa' ? RSA_CERTIFICATE : ECDSA_CERTIFICATE)[0].der)
  return { pem: '', info: { ...info, spki, publicPoint: point } }
}

describe('the software certificate signs the nonce as the gateway verifies it', () => {
  it('RSA PKCS#1 v1.5 with SHA-256, from a PKCS#8 or a PKCS#1 PEM key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }))
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const key = readPrivateKeyFile(privateKey.export({ type, format: 'pem' }) as string)
      expect(key.algorithm).toBe('rsa')
      const signature = await signNonce(softCertificate('rsa', spki, null), key, NONCE)
      expect(createVerify('sha256').update(NONCE).verify(publicKey, signature)).toBe(true)
    }
  })

  it('ECDSA P-256 with SHA-256, DER-encoded, from a PKCS#8 or a SEC1 PEM key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }))
    for (const type of ['pkcs8', 'sec1'] as const) {
      const key = readPrivateKeyFile(privateKey.export({ type, format: 'pem' }) as string)
      const signature = await signNonce(softCertificate('ecdsa', spki, spki.subarray(spki.length - 65)), key, NONCE)
      expect(signature[0]).toBe(0x30)
      expect(nodeVerify('sha256', NONCE, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true)
    }
  })

  it('SM2 with SM3 and the ID 1234567812345678, from the PKCS#8 PEM the dev CA writes', async () => {
    const pair = sm2.generateKeyPairHex()
    const point = hexToBytes(pair.publicKey)
    const ecPrivateKey = sequence(tlv(0x02, new Uint8Array([1])), octetString(hexToBytes(pair.privateKey.padStart(64, '0'))))
    const pkcs8 = sequence(tlv(0x02, new Uint8Array([0])), sequence(oid(OID.ecPublicKey), oid(OID.sm2Curve)), octetString(ecPrivateKey))
    const key = readPrivateKeyFile(toPem('PRIVATE KEY', pkcs8))
    expect(key.algorithm).toBe('sm2')
    const info = { ...parseCertificate(readPem(SM2_CERTIFICATE)[0].der), publicPoint: point }
    const signature = await signNonce({ pem: '', info }, key, NONCE)
    const hex = Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join('')
    expect(sm2.doVerifySignature(Array.from(NONCE), hex, pair.publicKey, { der: true, hash: true, userId: '1234567812345678' })).toBe(true)
    expect(sm2.doVerifySignature(Array.from(NONCE), hex, pair.publicKey, { der: true, hash: true, userId: '' })).toBe(false)
  })

  it('refuses a key of another certificate, and encrypted keys', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey
    const key = readPrivateKeyFile(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
    const spki = new Uint8Array(other.export({ type: 'spki', format: 'der' }))
    await expect(signNonce(softCertificate('rsa', spki, null), key, NONCE)).rejects.toThrow('证书与私钥不匹配')
    expect(() => readPrivateKeyFile('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----'))
      .toThrow('私钥文件已加密')
  })
})
