// A small DER (ASN.1) reader and writer: enough to read X.509 certificates and PEM private keys in
// the browser, and to encode the few structures the login needs (ECDSA signatures, PKCS#8 wrappers).

export interface DerNode {
  tag: number
  /** The whole TLV. */
  tlv: Uint8Array
  /** The value (V) only. */
  value: Uint8Array
  children: DerNode[]
}

export class DerError extends Error {}

const CONSTRUCTED = 0x20

export function readDer(bytes: Uint8Array, offset = 0): DerNode {
  if (offset + 2 > bytes.length) throw new DerError('DER: truncated header')
  const tag = bytes[offset]
  let length = bytes[offset + 1]
  let header = 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4) throw new DerError('DER: unsupported length')
    if (offset + 2 + count > bytes.length) throw new DerError('DER: truncated length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]
    header += count
  }
  const end = offset + header + length
  if (end > bytes.length) throw new DerError('DER: truncated value')
  const value = bytes.subarray(offset + header, end)
  const node: DerNode = { tag, tlv: bytes.subarray(offset, end), value, children: [] }
  if (tag & CONSTRUCTED) {
    let position = 0
    while (position < value.length) {
      const child = readDer(value, position)
      node.children.push(child)
      position += child.tlv.length
    }
  }
  return node
}

/** A node whose value is itself DER (an OCTET STRING or a BIT STRING wrapping a structure). */
export function readWrapped(node: DerNode): DerNode {
  const inner = node.tag === 0x03 ? node.value.subarray(1) : node.value
  return readDer(inner)
}

export function readOid(node: DerNode): string {
  if (node.tag !== 0x06) throw new DerError('DER: not an OBJECT IDENTIFIER')
  const bytes = node.value
  const parts: number[] = []
  let value = 0
  for (let i = 0; i < bytes.length; i++) {
    value = value * 128 + (bytes[i] & 0x7f)
    if (!(bytes[i] & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else {
        parts.push(value)
      }
      value = 0
    }
  }
  return parts.join('.')
}

export function readString(node: DerNode): string {
  switch (node.tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      let text = ''
      for (let i = 0; i + 1 < node.value.length; i += 2) text += String.fromCharCode((node.value[i] << 8) | node.value[i + 1])
      return text
    }
    default:
      // UTF8String, PrintableString, IA5String, TeletexString, NumericString…
      return new TextDecoder('utf-8').decode(node.value)
  }
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) → Date. */
export function readTime(node: DerNode): Date {
  const text = new TextDecoder('ascii').decode(node.value)
  const match = node.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
  if (!match) throw new DerError(`DER: unsupported time ${text}`)
  let year = Number(match[1])
  if (node.tag === 0x17) year += year >= 50 ? 1900 : 2000
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0)))
}

// --- writing ---------------------------------------------------------------------------------

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length]
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return [0x80 | bytes.length, ...bytes]
}

export function tlv(tag: number, value: Uint8Array): Uint8Array {
  const head = [tag, ...lengthBytes(value.length)]
  const out = new Uint8Array(head.length + value.length)
  out.set(head, 0)
  out.set(value, head.length)
  return out
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export const sequence = (...parts: Uint8Array[]) => tlv(0x30, concat(...parts))
export const octetString = (value: Uint8Array) => tlv(0x04, value)

/** A non-negative INTEGER from big-endian magnitude bytes (minimal, with a leading 0 when needed). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  let body = magnitude.subarray(start)
  if (body[0] & 0x80) body = concat(new Uint8Array([0]), body)
  return tlv(0x02, body)
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number)
  const bytes: number[] = [parts[0] * 40 + parts[1]]
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f]
    for (let rest = Math.floor(part / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, new Uint8Array(bytes))
}

export const NULL = new Uint8Array([0x05, 0x00])

/** WebCrypto's ECDSA signature (IEEE P1363 r || s) as DER SEQUENCE {r, s}, as USB keys give it. */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  if (signature.length % 2 !== 0) throw new DerError('P1363 signature of odd length')
  const half = signature.length / 2
  return sequence(unsignedInteger(signature.subarray(0, half)), unsignedInteger(signature.subarray(half)))
}

// --- base64, hex, PEM ------------------------------------------------------------------------

export function base64ToBytes(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/')
  const padded = compact + '='.repeat((4 - (compact.length % 4)) % 4)
  const binary = atob(padded)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new DerError('not hex')
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

export interface PemBlock {
  label: string
  der: Uint8Array
}

export function readPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = []
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const body = match[2].replace(/^[A-Za-z-]+:.*$/gm, '') // headers of old-style encrypted PEM
    blocks.push({ label: match[1], der: base64ToBytes(body) })
  }
  return blocks
}

export function toPem(label: string, der: Uint8Array): string {
  const lines = bytesToBase64(der).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
