import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import type { FormInstance } from 'element-plus'
import { ApiError } from '@/api/errors'
import { useFormSubmit } from './useFormSubmit'

function formThat(valid: boolean) {
  return ref({ validate: () => (valid ? Promise.resolve(true) : Promise.reject(new Error('invalid'))) } as unknown as FormInstance)
}

describe('sending a form', () => {
  it('sends nothing, and builds no body, while the form\'s own rules fail', async () => {
    const { send } = useFormSubmit(() => ['name'], formThat(false))
    let built = false
    let sent = false
    const answer = await send(() => { built = true; return {} }, async () => { sent = true; return 'done' })
    expect([answer, built, sent]).toEqual([undefined, false, false])
  })

  it('answers with what the server answered, under an Idempotency-Key', async () => {
    const { send, submitError } = useFormSubmit(() => ['name'], formThat(true))
    const keys: string[] = []
    const answer = await send(() => ({ name: '甲' }), async (body, key) => { keys.push(key); return body.name })
    expect(answer).toBe('甲')
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(submitError.value).toBeNull()
  })

  it('puts a refusal\'s field errors on the form items, and anything else above the form', async () => {
    const { send, errors, submitError } = useFormSubmit(() => ['name'])
    const refused = new ApiError(422, 'VALIDATION_FAILED', '提交的数据有误', { 'data.name': ['名称不能为空'] })
    expect(await send(() => ({}), async () => { throw refused })).toBeUndefined()
    expect(errors.errorOf('name')).toBe('名称不能为空')
    expect(submitError.value).toBeNull()

    const down = new ApiError(503, 'SERVICE_UNAVAILABLE', '服务暂时不可用')
    expect(await send(() => ({}), async () => { throw down })).toBeUndefined()
    expect(errors.errorOf('name')).toBe('')
    expect(submitError.value).toBe(down)
  })

  it('retries the same body after a 503 with the same key', async () => {
    const { send } = useFormSubmit(() => [])
    const keys: string[] = []
    const failOnce = async (_body: unknown, key: string) => {
      keys.push(key)
      if (keys.length === 1) throw new ApiError(503, 'SERVICE_UNAVAILABLE', '服务暂时不可用')
      return 'ok'
    }
    await send(() => ({ a: 1 }), failOnce)
    expect(await send(() => ({ a: 1 }), failOnce)).toBe('ok')
    expect(keys[1]).toBe(keys[0])
  })
})
