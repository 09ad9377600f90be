import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './App'
import { startMarket } from './lib/market'
import { startConnectionWatch } from './lib/connection'
import { lang } from './lib/i18n'
import { applyTheme } from './lib/theme'
import { startAlertDelivery } from './features/alerts/delivery'

document.documentElement.lang = lang.get()
applyTheme()
startMarket()
startConnectionWatch()
startAlertDelivery() // toasts, sound and notifications on every page
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
