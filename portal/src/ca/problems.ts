// "CA无法登录解决办法": what went wrong at login, in plain words, and what the user does about it.
// The login page shows one of these; the help page (/portal/ca-help) lists them all.

export interface CaProblem {
  /** Stable key (tests and the help page's anchors use it). */
  key: string
  title: string
  detail?: string
  steps: string[]
}

export const CA_HOTLINE = '新疆CA客服（电话见CA锁包装或新疆CA官网）'

export const NO_HELPER: CaProblem = {
  key: 'no-helper',
  title: '未检测到CA证书应用环境（CA助手）',
  detail: '本机的CA助手没有响应，浏览器无法读取CA锁。',
  steps: [
    '确认已安装“新疆CA证书应用环境”（可在新疆CA官网下载，安装后需重启浏览器）。',
    '确认CA助手已启动：电脑右下角任务栏应有CA助手图标；没有时从开始菜单启动它。',
    '浏览器询问“是否允许访问本地网络/本机设备”时，请选择“允许”。',
    '请使用最新版 Chrome，或 360 安全浏览器的“极速模式”（地址栏右侧的闪电图标）。',
    '安全软件拦截了CA助手时，请将其加入信任列表后点击“重新检测”。',
  ],
}

export const NO_KEY: CaProblem = {
  key: 'no-key',
  title: '未检测到CA锁（USB Key）',
  detail: 'CA助手已运行，但没有读到任何证书。',
  steps: [
    '将CA锁插入电脑的USB接口，等待指示灯亮起（首次插入需等待驱动自动安装）。',
    '换一个USB接口（台式机请使用机箱背面的接口），或拔出后重新插入。',
    '点击“重新检测”。',
    '仍无法识别时，请联系' + CA_HOTLINE + '。',
  ],
}

export function wrongPin(triesLeft: number): CaProblem {
  return {
    key: 'wrong-pin',
    title: `CA锁密码（PIN码）错误，还可以尝试 ${triesLeft} 次`,
    detail: '连续输错达到次数后CA锁将被锁定，需到新疆CA服务网点解锁。',
    steps: [
      '检查键盘大小写锁定（Caps Lock）和输入法：PIN码通常为数字或字母，请在英文半角状态下输入。',
      '新办理的CA锁初始密码见办理时的密码信封；修改过密码的请输入修改后的密码。',
      '忘记密码时不要反复尝试，请联系' + CA_HOTLINE + '办理密码重置。',
    ],
  }
}

export const PIN_LOCKED: CaProblem = {
  key: 'pin-locked',
  title: 'CA锁已锁定：密码（PIN码）输错次数过多',
  steps: [
    '请携带CA锁、营业执照复印件（加盖公章）和经办人身份证到新疆CA服务网点办理解锁。',
    '也可联系' + CA_HOTLINE + '，咨询远程解锁。',
  ],
}

/** The gateway's refusals of a certificate login, by error code (the detail: the gateway's message). */
const SERVER_PROBLEMS: Record<string, Omit<CaProblem, 'detail'>> = {
  CA_CERT_EXPIRED: {
    key: 'expired', title: '证书不在有效期内（已过期或尚未生效）',
    steps: [
      '证书过期后需办理“证书更新（续期）”：可通过新疆CA官网在线续期，或到服务网点办理。',
      '续期完成后，用更新后的CA锁重新登录；企业的报送记录不受影响。',
      '如果证书尚未生效，请检查电脑的日期和时间是否正确。',
    ],
  },
  CA_CERT_REVOKED: {
    key: 'revoked', title: '证书已被CA机构吊销',
    steps: [
      '吊销的证书不能再使用。CA锁遗失、企业信息变更或主动注销都会导致吊销。',
      '请联系新疆CA补办新证书（' + CA_HOTLINE + '）；补办后用新证书登录，企业账户和报送记录保持不变。',
    ],
  },
  CA_CERT_UNTRUSTED: {
    key: 'untrusted', title: '证书不是由本平台认可的CA机构签发的',
    steps: ['请使用新疆CA等本平台认可的CA机构签发的企业证书（CA锁）。', '如有疑问，请联系' + CA_HOTLINE + '。'],
  },
  CA_NO_USCC: {
    key: 'no-uscc', title: '证书中没有统一社会信用代码',
    steps: ['个人证书或早期证书可能不含统一社会信用代码，请使用企业证书（机构证书）登录。',
      '需要补办企业证书的，请按“CA办理流程”办理。'],
  },
  CA_CERT_NOT_ENTERPRISE: {
    key: 'not-enterprise', title: '该证书不能用于企业登录',
    steps: ['请使用CA锁中的企业签名证书，而不是个人证书或加密证书。', '如有疑问，请联系' + CA_HOTLINE + '。'],
  },
  CA_SIGNATURE_INVALID: {
    key: 'signature', title: '签名验证失败',
    steps: ['请重新插拔CA锁后再次登录。', '仍然失败时，请联系' + CA_HOTLINE + '检测CA锁。'],
  },
  CA_CHALLENGE_INVALID: {
    key: 'challenge', title: '登录请求已过期',
    steps: ['登录随机数5分钟内有效且只能使用一次，请直接点击“登录”重试。'],
  },
  CA_CRL_UNAVAILABLE: {
    key: 'crl', title: '暂时无法检查证书是否被吊销',
    steps: ['这是平台的临时问题，您的CA锁没有问题。请稍后再试。'],
  },
}

/** The gateway's refusal of a certificate login (API.md "Enterprise login (CA)"). */
export function fromServer(code: string, message: string): CaProblem {
  if (Object.prototype.hasOwnProperty.call(SERVER_PROBLEMS, code)) return serverProblem(code, message)
  return { key: 'other', title: message || '登录失败', steps: ['请稍后重试；仍然失败时请联系' + CA_HOTLINE + '。'] }
}

function serverProblem(code: string, detail?: string): CaProblem {
  const { key, title, steps } = SERVER_PROBLEMS[code]
  return { key, title, detail, steps: [...steps] }
}

/** Every case, for the help page "CA无法登录解决办法". */
export const ALL_PROBLEMS: CaProblem[] = [
  NO_HELPER, NO_KEY, wrongPin(3), PIN_LOCKED, serverProblem('CA_CERT_EXPIRED'), serverProblem('CA_CERT_REVOKED'),
  fromServer('CA_CERT_UNTRUSTED', ''), fromServer('CA_NO_USCC', ''),
]
