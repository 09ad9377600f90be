import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './App'
import { startMarket } from './lib/state/market'
import { startConnectionWatch } from './lib/transport/connection'
import { lang } from './lib/ui/i18n'
import { applyTheme } from './lib/state/theme'
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
