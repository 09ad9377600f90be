import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

// `npm run dev` proxies the API and the WebSockets to a running `vntracker serve` (VNT_SERVER, default :8000).
const server = process.env.VNT_SERVER ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      '/api': server,
      '/health': server,
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        advancedChunks: {
          groups: [
            { name: 'lightweight-charts', test: /node_modules[\\/]lightweight-charts/ },
            { name: 'recharts', test: /node_modules[\\/](recharts|d3-|victory|es-toolkit|immer|redux|@reduxjs|reselect|decimal)/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
})
