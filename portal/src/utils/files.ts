// Uploads are PDF, JPEG or PNG by content (the server decides by the bytes, not the name), at most
// 10 MiB: the page checks the same before sending, so a wrong file is refused at once.
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'

export type UploadKind = 'pdf' | 'jpeg' | 'png'

export function sniff(head: Uint8Array): UploadKind | null {
  if (head.length >= 5 && head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46 && head[4] === 0x2d) return 'pdf'
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => head[i] === byte)) return 'png'
  return null
}

/** Why a file cannot be uploaded, or null. */
export async function uploadProblem(file: File): Promise<string | null> {
  if (file.size === 0) return `“${file.name}”是空文件`
  if (file.size > MAX_UPLOAD_BYTES) return `“${file.name}”有 ${(file.size / 1024 / 1024).toFixed(1)} MB，超过10MB的上限`
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
  if (!sniff(head)) return `“${file.name}”不是PDF、JPG或PNG文件（按文件内容判断，改扩展名无效）`
  return null
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
