import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from '@/stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a login. */
    public?: boolean
    /** The page's Chinese title (document title, breadcrumb). */
    title?: string
    /** The menu entry it belongs to. */
    menu?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: 'CA证书登录' } },
  { path: '/ca-guide', name: 'ca-guide', component: () => import('@/views/CaGuideView.vue'), meta: { public: true, title: 'CA办理流程' } },
  { path: '/ca-help', name: 'ca-help', component: () => import('@/views/CaHelpView.vue'), meta: { public: true, title: 'CA无法登录解决办法' } },
  {
    path: '/',
    component: () => import('@/layouts/PortalLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/DashboardView.vue'), meta: { title: '企业信息', menu: '/' } },
      { path: 'employments/new', name: 'hire', component: () => import('@/views/employments/HireView.vue'), meta: { title: '发起聘用', menu: '/employments/new' } },
      { path: 'employments', name: 'employments', component: () => import('@/views/employments/EmploymentListView.vue'), meta: { title: '聘用记录', menu: '/employments' } },
      { path: 'filings/first', name: 'first-filing', component: () => import('@/views/filings/FirstFilingHub.vue'), meta: { title: '首次进疆信息报送', menu: '/filings/first' } },
      { path: 'filings/first/:type', name: 'first-filing-form', component: () => import('@/views/filings/FirstFilingForm.vue'), props: true, meta: { title: '首次进疆信息报送', menu: '/filings/first' } },
      { path: 'personnel', name: 'personnel', component: () => import('@/views/personnel/PersonnelFilingView.vue'), meta: { title: '人员证书信息报送', menu: '/personnel' } },
      { path: 'titles', name: 'titles', component: () => import('@/views/titles/TitleCertificatesView.vue'), meta: { title: '证书管理', menu: '/titles' } },
      { path: 'changes', name: 'changes', component: () => import('@/views/changes/ChangesView.vue'), meta: { title: '变更', menu: '/changes' } },
      { path: 'extension', name: 'extension', component: () => import('@/views/ExtensionView.vue'), meta: { title: '进疆信息公示延期', menu: '/extension' } },
      { path: 'cost-projects', name: 'cost-projects', component: () => import('@/views/CostProjectView.vue'), meta: { title: '造价企业进疆承揽业务备案', menu: '/cost-projects' } },
      { path: 'records', name: 'records', component: () => import('@/views/records/RecordsView.vue'), meta: { title: '查询进疆信息报送记录', menu: '/records' } },
      { path: 'records/:id', name: 'record', component: () => import('@/views/records/RecordDetailView.vue'), props: true, meta: { title: '办件详情', menu: '/records' } },
      { path: 'booklet', name: 'booklet', component: () => import('@/views/BookletView.vue'), meta: { title: '进疆报送册打印', menu: '/booklet' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { public: true, title: '页面不存在' } },
]

export const router = createRouter({
  history: createWebHistory('/portal/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach((to) => {
  const session = useSession()
  if (!to.meta.public && !session.authenticated) {
    if (session.token) session.expire()
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.name === 'login' && session.authenticated) return { path: '/' }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? '企业服务平台'} · 区外进疆企业信息报送`
})
