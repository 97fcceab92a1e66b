import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import './styles/theme.css'
import App from './App.vue'
import { router } from './router'
import { configureSession } from './api/client'
import { useSession } from './stores/session'
import { keepScrollableRegionsFocusable } from './utils/a11y'

dayjs.locale('zh-cn')

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
app.use(ElementPlus, { locale: zhCn })

const session = useSession(pinia)
configureSession({
  token: () => session.token,
  onSessionEnded: () => {
    // the token is no longer accepted (expired, ended): back to the login, then back here
    session.expire()
    const current = router.currentRoute.value
    if (current.meta.public) return
    void router.replace({ name: 'login', query: { redirect: current.fullPath, reason: 'expired' } })
  },
})

app.mount('#app')
keepScrollableRegionsFocusable()
