// What the login page shows of a certificate before it is used: whose it is (enterprise name and
// unified social credit code), who issued it, its validity and its key algorithm. The server checks
// everything again; this only lets the page warn early and name the certificate in plain words.
import { DerError, bytesToHex, readDer, readOid, readString, readTime, type DerNode } from './der'
import { isValidUscc } from '@/utils/validators'

export type KeyAlgorithm = 'rsa' | 'ecdsa' | 'sm2'

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  sm2Curve: '1.2.156.10197.1.301',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
} as const

export interface CertificateInfo {
  /** The enterprise (O, else CN). */
  subjectName: string
  /** The unified social credit code found in serialNumber, OU or CN (as the server looks for it). */
  uscc: string | null
  issuerName: string
  serialHex: string
  notBefore: Date
  notAfter: Date
  algorithm: KeyAlgorithm | null
  /** SubjectPublicKeyInfo DER (WebCrypto imports it for a signature check). */
  spki: Uint8Array
  /** The public point (04 || x || y) of an EC or SM2 key. */
  publicPoint: Uint8Array | null
}

function nameAttributes(name: DerNode): Map<string, string[]> {
  const attributes = new Map<string, string[]>()
  for (const rdn of name.children) {
    for (const pair of rdn.children) {
      const [type, value] = pair.children
      if (!type || !value) continue
      const key = readOid(type)
      attributes.set(key, [...(attributes.get(key) ?? []), readString(value)])
    }
  }
  return attributes
}

function first(attributes: Map<string, string[]>, ...oids: string[]): string {
  for (const key of oids) {
    const values = attributes.get(key)
    if (values?.length) return values[0]
  }
  return ''
}

export function findUscc(attributes: Map<string, string[]>): string | null {
  for (const key of [OID.serialNumber, OID.organizationalUnit, OID.commonName]) {
    for (const value of attributes.get(key) ?? []) {
      const candidates = value.toUpperCase().match(/[0-9A-Z]{18}/g) ?? []
      const found = candidates.find((candidate) => isValidUscc(candidate))
      if (found) return found
    }
  }
  return null
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  try {
    const certificate = readDer(der)
    const tbs = certificate.children[0]
    let fields = tbs.children
    if (fields[0]?.tag === 0xa0) fields = fields.slice(1) // [0] EXPLICIT version
    const [serial, , issuer, validity, subject, spkiNode] = fields
    const subjectAttributes = nameAttributes(subject)
    const issuerAttributes = nameAttributes(issuer)
    const [algorithmId, bits] = spkiNode.children
    const algorithmOid = readOid(algorithmId.children[0])
    const parameter = algorithmId.children[1]
    const curve = parameter?.tag === 0x06 ? readOid(parameter) : null
    let algorithm: KeyAlgorithm | null = null
    if (algorithmOid === OID.rsaEncryption) algorithm = 'rsa'
    else if (algorithmOid === OID.sm2Curve || (algorithmOid === OID.ecPublicKey && curve === OID.sm2Curve)) algorithm = 'sm2'
    else if (algorithmOid === OID.ecPublicKey && curve === OID.p256) algorithm = 'ecdsa'
    return {
      subjectName: first(subjectAttributes, OID.organization, OID.commonName),
      uscc: findUscc(subjectAttributes),
      issuerName: first(issuerAttributes, OID.commonName, OID.organization),
      serialHex: bytesToHex(serial.value).replace(/^0+(?=.)/, ''),
      notBefore: readTime(validity.children[0]),
      notAfter: readTime(validity.children[1]),
      algorithm,
      spki: spkiNode.tlv,
      publicPoint: algorithm === 'rsa' ? null : bits.value.subarray(1),
    }
  } catch (error) {
    if (error instanceof DerError || error instanceof TypeError) throw new DerError('无法读取证书，请选择PEM格式的X.509证书')
    throw error
  }
}

export const ALGORITHM_LABELS: Record<KeyAlgorithm, string> = { rsa: 'RSA', ecdsa: 'ECDSA (P-256)', sm2: 'SM2（国密）' }
