/**
 * Where the mini-program finds the platform. This is the one file to change per deployment.
 *
 * - gatewayBaseUrl: the xjcloud gateway, without a trailing slash and without /api/v1.
 *   Development: `make run` serves it at http://127.0.0.1:8000 (in WeChat DevTools tick
 *   "不校验合法域名、web-view（业务域名）、TLS 版本以及 HTTPS 证书" to reach it over plain HTTP).
 *   Production: the HTTPS domain registered as the request and uploadFile/downloadFile legal
 *   domain of this appid in the mini-program admin console (开发管理 → 开发设置 → 服务器域名).
 * - supportContact: shown where a person needs help that the app cannot give (an ID number bound
 *   to another WeChat user); leave empty to show the generic advice only.
 * - requestTimeoutMs: wx.request / wx.uploadFile / wx.downloadFile timeout.
 */
module.exports = {
  gatewayBaseUrl: 'http://127.0.0.1:8000',
  supportContact: '',
  requestTimeoutMs: 15000,
}
