import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './App'
import { startMarket } from './lib/market'
import { lang } from './lib/i18n'

document.documentElement.lang = lang.get()
startMarket()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
