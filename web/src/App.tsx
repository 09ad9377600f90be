import { lazy, Suspense } from 'react'
import { Header } from './components/Header'
import { ConnectionBanner } from './components/ConnectionBanner'
import { Board } from './features/board/Board'
import { AlertToasts } from './features/alerts/AlertToasts'
import { useRoute } from './lib/state/router'
import { useT } from './lib/ui/i18n'

// Chart pages are loaded on demand: lightweight-charts and Recharts stay out of the board's bundle.
const ChartsPage = lazy(() => import('./features/charts/ChartsPage'))
const ForeignPage = lazy(() => import('./features/foreign/ForeignPage'))
const VolumePage = lazy(() => import('./features/volume/VolumePage'))
const DerivativesPage = lazy(() => import('./features/derivatives/DerivativesPage'))
const SignalsPage = lazy(() => import('./features/signals/SignalsPage'))
const SymbolPage = lazy(() => import('./features/symbol/SymbolPage'))
const OverviewPage = lazy(() => import('./features/overview/OverviewPage'))

function Page({ path }: { path: string }) {
  if (path.startsWith('/symbol/')) return <SymbolPage />
  switch (path) {
    case '/overview':
      return <OverviewPage />
    case '/charts':
      return <ChartsPage />
    case '/foreign':
      return <ForeignPage />
    case '/volume':
      return <VolumePage />
    case '/derivatives':
      return <DerivativesPage />
    case '/signals':
      return <SignalsPage />
    default:
      return <Board />
  }
}

export function App() {
  const path = useRoute()
  const t = useT()
  return (
    <div className="min-h-screen flex flex-col">
      <Header />
      <ConnectionBanner />
      <main className="flex-1 p-2 min-w-0" data-page={path.startsWith('/symbol/') ? '/symbol' : path}>
        <Suspense fallback={<div className="p-6 text-slate-400">{t('loading')}</div>}>
          <Page path={path} />
        </Suspense>
      </main>
      <AlertToasts />
    </div>
  )
}
