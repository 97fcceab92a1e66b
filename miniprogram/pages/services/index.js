/** 办事: the person's services, grouped as in the manual (辅助业务 → 证书补登记 / 证书变更). */
const guard = require('../../utils/guard')

const GROUPS = [
  {
    title: '个人业务',
    items: [
      { id: 'realname', name: '实名认证', hint: '姓名、身份证号码与人脸核身', url: '/pages/realname/index' },
      { id: 'profile', name: '完善个人信息', hint: '手机号码、学历、联系地址', url: '/pages/profile/index' },
      { id: 'employments', name: '我的聘用', hint: '在职单位、聘用邀请与历史', url: '/pages/employments/index' },
    ],
  },
  {
    title: '辅助业务',
    items: [
      { id: 'title-register', name: '证书补登记', hint: '登记职称证书，由在职单位确认', url: '/pages/certificates/register' },
      { id: 'title-change', name: '证书变更', hint: '重新登记被单位撤销的职称证书', url: '/pages/certificates/change' },
    ],
  },
  {
    title: '查询',
    items: [
      { id: 'certificates', name: '我的证书', hint: '各类证书及报送情况', url: '/pages/certificates/index' },
      { id: 'subscriptions', name: '消息订阅', hint: '聘用邀请与证书审核结果的微信通知', url: '/pages/subscriptions/index' },
    ],
  },
]

Component({
  data: { groups: GROUPS },
  methods: {
    onShow() {
      guard.requireSession()
    },

    onOpen(event) {
      wx.navigateTo({ url: event.currentTarget.dataset.url })
    },
  },
})
