import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Chromium 86 is the oldest engine we support: 360安全浏览器's Chromium ("极速") mode. No IE.
export const BROWSER_TARGET = ['chrome86']

export default defineConfig({
  base: '/portal/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    target: BROWSER_TARGET,
    cssTarget: BROWSER_TARGET,
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // the UI kit changes less often than the app: its own long-cached file
        manualChunks: { vendor: ['vue', 'vue-router', 'pinia'], 'element-plus': ['element-plus', '@element-plus/icons-vue'] },
      },
    },
  },
  server: {
    // `npm run dev`: the API of a running `make run` (XJ_GATEWAY_URL to point elsewhere)
    proxy: {
      '/api': process.env.XJ_GATEWAY_URL ?? 'http://127.0.0.1:8000',
      '/public': process.env.XJ_GATEWAY_URL ?? 'http://127.0.0.1:8000',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
