// The development "software certificate": a PEM certificate and its unencrypted PEM private key,
// chosen as files, sign the login nonce in the browser (never sent anywhere). Only offered when the
// gateway says the environment is dev or test (GET /api/v1/portal/settings).
//
// RSA: PKCS#1 v1.5 with SHA-256, ECDSA P-256 with SHA-256 (WebCrypto; its IEEE P1363 r||s output
// is re-encoded as DER, as USB keys and OpenSSL give it), SM2 with SM3 and the GM/T 0009 default ID
// 1234567812345678 (sm-crypto, DER) — what identity-svc's verifier checks.
import { sm2 } from 'sm-crypto'
import {
  DerError, NULL, bytesToHex, concat, hexToBytes, octetString, oid, p1363ToDer, readDer, readOid, readPem, sequence, tlv,
  type DerNode,
} from './der'
import { OID, parseCertificate, type CertificateInfo, type KeyAlgorithm } from './x509'

export const SM2_USER_ID = '1234567812345678'

export class SoftCertError extends Error {}

export interface SoftCertificate {
  pem: string
  info: CertificateInfo
}

export interface SoftKey {
  algorithm: KeyAlgorithm
  /** PKCS#8 DER for WebCrypto (RSA, ECDSA). */
  pkcs8?: Uint8Array
  /** The SM2 private scalar, hex. */
  sm2Scalar?: string
}

export function readCertificateFile(text: string): SoftCertificate {
  const blocks = readPem(text).filter((block) => block.label === 'CERTIFICATE')
  if (!blocks.length) throw new SoftCertError('所选证书文件不是PEM格式的证书（应包含“-----BEGIN CERTIFICATE-----”）')
  const info = parseCertificate(blocks[0].der)
  if (!info.algorithm) throw new SoftCertError('不支持该证书的密钥算法（支持RSA、ECDSA P-256、SM2）')
  // the login certificate, and the CA certificates after it if the file has them
  const pem = text.slice(text.indexOf('-----BEGIN CERTIFICATE-----')).trim() + '\n'
  return { pem, info }
}

function ecKeyFromSec1(sec1: DerNode, curveFromAlgorithm: string | null): SoftKey {
  const scalar = sec1.children[1]
  if (!scalar || scalar.tag !== 0x04) throw new SoftCertError('无法读取EC私钥')
  const parameters = sec1.children.find((child) => child.tag === 0xa0)
  const curve = curveFromAlgorithm ?? (parameters ? readOid(parameters.children[0]) : null)
  if (curve === OID.sm2Curve) return { algorithm: 'sm2', sm2Scalar: bytesToHex(scalar.value).padStart(64, '0') }
  if (curve === OID.p256) {
    const algorithmId = sequence(oid(OID.ecPublicKey), oid(OID.p256))
    return { algorithm: 'ecdsa', pkcs8: sequence(tlv(0x02, new Uint8Array([0])), algorithmId, octetString(sec1.tlv)) }
  }
  throw new SoftCertError('不支持该私钥的曲线（支持P-256和SM2）')
}

export function readPrivateKeyFile(text: string): SoftKey {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new SoftCertError('私钥文件已加密，请选择未加密的PEM私钥（开发测试用）')
  }
  const block = readPem(text).find((candidate) => /PRIVATE KEY$/.test(candidate.label))
  if (!block) throw new SoftCertError('所选私钥文件不是PEM格式的私钥（应包含“-----BEGIN PRIVATE KEY-----”）')
  try {
    const root = readDer(block.der)
    if (block.label === 'RSA PRIVATE KEY') {
      const algorithmId = sequence(oid(OID.rsaEncryption), NULL)
      return { algorithm: 'rsa', pkcs8: sequence(tlv(0x02, new Uint8Array([0])), algorithmId, octetString(block.der)) }
    }
    if (block.label === 'EC PRIVATE KEY' || block.label === 'SM2 PRIVATE KEY') return ecKeyFromSec1(root, null)
    // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier, privateKey OCTET STRING
    const [, algorithmId, privateKey] = root.children
    const algorithm = readOid(algorithmId.children[0])
    const curve = algorithmId.children[1]?.tag === 0x06 ? readOid(algorithmId.children[1]) : null
    if (algorithm === OID.rsaEncryption) return { algorithm: 'rsa', pkcs8: block.der }
    if (algorithm === OID.ecPublicKey || algorithm === OID.sm2Curve) {
      const key = ecKeyFromSec1(readDer(privateKey.value), algorithm === OID.sm2Curve ? OID.sm2Curve : curve)
      return key.algorithm === 'ecdsa' ? { algorithm: 'ecdsa', pkcs8: block.der } : key
    }
  } catch (error) {
    if (error instanceof SoftCertError) throw error
    if (error instanceof DerError || error instanceof TypeError) throw new SoftCertError('无法读取私钥文件，请确认它是PEM格式')
    throw error
  }
  throw new SoftCertError('不支持该私钥的算法（支持RSA、ECDSA P-256、SM2）')
}

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) {
    throw new SoftCertError('浏览器的密码功能仅在 https 或 127.0.0.1 地址下可用，请改用这样的地址打开本平台')
  }
  return globalThis.crypto.subtle
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-256' }
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' }

async function webCryptoSign(key: SoftKey, data: Uint8Array): Promise<Uint8Array> {
  const algorithm = key.algorithm === 'rsa' ? RSA : ECDSA_KEY
  let privateKey: CryptoKey
  try {
    privateKey = await subtle().importKey('pkcs8', key.pkcs8 as BufferSource, algorithm, false, ['sign'])
  } catch (error) {
    if (error instanceof SoftCertError) throw error
    throw new SoftCertError('浏览器无法使用该私钥，请确认私钥文件完整')
  }
  const signed = new Uint8Array(await subtle().sign(key.algorithm === 'rsa' ? RSA : ECDSA_SIGN, privateKey, data as BufferSource))
  return key.algorithm === 'rsa' ? signed : p1363ToDer(signed)
}

async function webCryptoVerify(certificate: CertificateInfo, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const algorithm = certificate.algorithm === 'rsa' ? RSA : ECDSA_KEY
  const publicKey = await subtle().importKey('spki', certificate.spki as BufferSource, algorithm, false, ['verify'])
  let raw = signature
  if (certificate.algorithm === 'ecdsa') {
    // WebCrypto verifies P1363: DER SEQUENCE {r, s} back to fixed-size r || s
    const [r, s] = readDer(signature).children.map((node) => node.value.subarray(node.value.length > 32 ? node.value.length - 32 : 0))
    raw = concat(new Uint8Array(32 - r.length), r, new Uint8Array(32 - s.length), s)
  }
  return subtle().verify(certificate.algorithm === 'rsa' ? RSA : ECDSA_SIGN, publicKey, raw as BufferSource, data as BufferSource)
}

/** The signature over the raw nonce bytes; refuses a key that does not belong to the certificate. */
export async function signNonce(certificate: SoftCertificate, key: SoftKey, nonce: Uint8Array): Promise<Uint8Array> {
  if (certificate.info.algorithm !== key.algorithm) {
    throw new SoftCertError('证书与私钥不匹配：两者的算法不同')
  }
  if (key.algorithm === 'sm2') {
    const publicKey = bytesToHex(certificate.info.publicPoint ?? new Uint8Array())
    const signatureHex: string = sm2.doSignature(Array.from(nonce), key.sm2Scalar as string, {
      hash: true, der: true, userId: SM2_USER_ID, publicKey,
    })
    if (!sm2.doVerifySignature(Array.from(nonce), signatureHex, publicKey, { hash: true, der: true, userId: SM2_USER_ID })) {
      throw new SoftCertError('证书与私钥不匹配，请选择同一张证书的私钥')
    }
    return hexToBytes(signatureHex)
  }
  const signature = await webCryptoSign(key, nonce)
  if (!(await webCryptoVerify(certificate.info, signature, nonce))) {
    throw new SoftCertError('证书与私钥不匹配，请选择同一张证书的私钥')
  }
  return signature
}
