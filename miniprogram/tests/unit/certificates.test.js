const fs = require('fs')
const os = require('os')
const path = require('path')
const { unitApp, loggedIn, offer } = require('../support/unit-app')

const PHOTO = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xj-photo-')), '证书.jpg')
fs.writeFileSync(PHOTO, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]))

function title(overrides = {}) {
  return {
    id: 'c1', kind: 'title', type: '工程师', level: '中级', specialties: ['建筑工程'], cert_no: '川职2020-001',
    issued_on: '2020-06-01', issuer: '四川省人力资源和社会保障厅', status: 'pending_confirmation', filed: false,
    file_id: null, valid_until: null, ...overrides,
  }
}

async function fillTitle(app) {
  await app.input('#name', '工程师')
  await app.change('#level', 1)
  await app.input('#specialty', '建筑工程')
  await app.input('#cert-no', '川职2020-001')
  await app.change('#issued-on', '2020-06-01')
  await app.input('#issuer', '四川省人力资源和社会保障厅')
}

function employed() {
  const setup = loggedIn(unitApp({ chooseMedia: () => [{ tempFilePath: PHOTO, size: 10, fileType: 'image' }] }))
  setup.gateway.state.employments = [offer({ status: 'active' })]
  return setup
}

/** An employed person's app opened at `page`, the gateway holding `certificates` (when given). */
async function employedAt(page, certificates) {
  const setup = employed()
  if (certificates) setup.gateway.state.certificates = certificates
  await setup.app.launch(page)
  return setup
}

describe('证书补登记', () => {
  test('renders the form with level, specialty, number, issue date, issuer and photo', async () => {
    const { app } = await employedAt('/pages/certificates/register')
    for (const id of ['#name', '#level', '#specialty', '#cert-no', '#issued-on', '#issuer', '#choose-photo']) {
      expect(app.exists(id)).toBe(true)
    }
    expect(app.text()).toContain('四川黄河建设集团有限公司')
  })

  test('uploads the photo, registers the title with it and shows it pending confirmation', async () => {
    const setup = await employedAt('/pages/certificates/register')
    await fillTitle(setup.app)
    await setup.app.tap('#choose-photo')
    expect(setup.app.text('#photo-state')).toBe('已上传')
    const [fileId] = Object.keys(setup.gateway.state.files)
    expect(setup.gateway.state.files[fileId].toString('utf8')).toContain('filename="证书.jpg"')
    await setup.app.tap('#submit')
    const registered = setup.gateway.state.calls.find((c) => c.path === '/mp/certificates/titles')
    expect(registered.json).toEqual({
      name: '工程师', level: '中级', specialty: '建筑工程', cert_no: '川职2020-001', issued_on: '2020-06-01',
      issuer: '四川省人力资源和社会保障厅', file_id: fileId,
    })
    expect(setup.app.text('#result-status')).toBe('待单位确认')
    await setup.app.tap('#to-certificates')
    expect(setup.app.route).toBe('pages/certificates/index')
  })

  test('every missing field is named on the phone and nothing is sent', async () => {
    const setup = await employedAt('/pages/certificates/register')
    await setup.app.tap('#submit')
    expect(setup.app.text('#name-error')).toBe('请输入职称名称')
    expect(setup.app.text('#level-error')).toBe('请选择职称等级')
    expect(setup.app.text('#issued-on-error')).toBe('请选择发证日期')
    expect(setup.gateway.state.calls.some((c) => c.path === '/mp/certificates/titles')).toBe(false)
  })

  test('a photo the server refuses is named under the photo', async () => {
    const setup = employed()
    setup.gateway.failNext('POST', '/mp/files', setup.gateway.apiError(415, 'FILE_TYPE_UNSUPPORTED', '仅支持JPEG或PNG格式的图片',
      { file: ['文件内容不是JPEG或PNG格式的图片'] }))
    await setup.app.launch('/pages/certificates/register')
    await setup.app.tap('#choose-photo')
    expect(setup.app.text('#photo-error')).toBe('文件内容不是JPEG或PNG格式的图片')
    expect(setup.app.exists('#choose-photo')).toBe(true)
  })

  test('a number already registered is shown at the number', async () => {
    const setup = employed()
    setup.gateway.failNext('POST', '/mp/certificates/titles', setup.gateway.apiError(409, 'CERTIFICATE_EXISTS',
      '证书已登记', { cert_no: ['该职称证书编号已在本单位登记'] }))
    await setup.app.launch('/pages/certificates/register')
    await fillTitle(setup.app)
    await setup.app.tap('#submit')
    expect(setup.app.text('#cert-no-error')).toBe('该职称证书编号已在本单位登记')
  })

  test('without a current employer the form explains why it cannot be used', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/certificates/register')
    expect(setup.app.text('#blocked')).toContain('您目前没有在职单位')
    expect(setup.app.exists('#submit')).toBe(false)
  })
})

describe('证书变更', () => {
  test('a revoked title is re-registered with corrected fields', async () => {
    const setup = await employedAt('/pages/certificates/change', [title({ status: 'revoked' })])
    await setup.app.tap('#change-c1')
    expect(setup.app.route).toBe('pages/certificates/register')
    expect(setup.app.data().form.cert_no).toBe('川职2020-001')
    await setup.app.change('#level', 2)
    await setup.app.tap('#submit')
    const changed = setup.gateway.state.calls.find((c) => c.method === 'PUT')
    expect(changed.path).toBe('/mp/certificates/titles/c1')
    expect(changed.json.level).toBe('副高级')
    expect(setup.app.text('#result-status')).toBe('待单位确认')
  })

  test('a confirmed title cannot be changed, and the page explains the path through the employer', async () => {
    const setup = await employedAt('/pages/certificates/change', [title({ status: 'confirmed' })])
    expect(setup.app.exists('#change-c1')).toBe(false)
    expect(setup.app.text('#title-c1')).toContain('已由单位确认，不能变更')
    expect(setup.app.text('#change-path')).toContain('单位撤销该证书的报送')
    expect(setup.app.text('#change-path')).toContain('单位撤销对证书的确认')
  })

  test('opening the change form of a confirmed title shows its state instead of a form', async () => {
    const setup = await employedAt('/pages/certificates/register?id=c1', [title({ status: 'confirmed' })])
    expect(setup.app.text('#result-status')).toBe('已确认')
    expect(setup.app.exists('#submit')).toBe(false)
  })
})

describe('我的证书', () => {
  test('lists every certificate of every kind with its state and whether it is filed', async () => {
    const setup = await employedAt('/pages/certificates/index', [
      title({ status: 'confirmed', filed: true, file_id: 'f'.repeat(32) }),
      { id: 'r1', kind: 'registered', type: '一级注册建造师', level: null, specialties: ['建筑工程', '市政公用工程'],
        cert_no: '川1512020202012345', status: 'valid', filed: false, valid_until: '2028-06-30', file_id: null },
      { id: 's1', kind: 'safety', type: '安全生产考核合格证书（B类）', level: 'B', specialties: [], cert_no: '川建安B(2024)1',
        status: 'expired', filed: false, valid_until: '2026-05-01', file_id: null },
    ])
    expect(setup.app.text('#kind-registered')).toContain('注册证书')
    expect(setup.app.text('#certificate-r1')).toContain('建筑工程、市政公用工程')
    expect(setup.app.text('#certificate-r1')).toContain('未报送')
    expect(setup.app.text('#certificate-c1')).toContain('已确认')
    expect(setup.app.text('#certificate-c1')).toContain('已报送')
    expect(setup.app.text('#certificate-s1')).toContain('已过期')
    expect(setup.app.data().groups.map((g) => g.kind)).toEqual(['registered', 'title', 'safety'])
  })

  test('an empty list says where certificates come from', async () => {
    const setup = await employedAt('/pages/certificates/index')
    expect(setup.app.text('#no-certificates')).toContain('暂无证书')
  })
})
