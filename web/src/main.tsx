import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './App'
import { startMarket } from './lib/market'
import { lang } from './lib/i18n'
import { startAlertDelivery } from './features/alerts/delivery'

document.documentElement.lang = lang.get()
startMarket()
startAlertDelivery() // toasts, sound and notifications on every page
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
