import { useT } from '../lib/ui/i18n'

// A download link for the server's CSV of what the page shows (see lib/ui/csv.ts).
export function ExportCsv({ href, testid, className = '' }: { href: string; testid: string; className?: string }) {
  const t = useT()
  return (
    <a href={href} download className={`btn-link text-xs ${className}`} data-testid={testid} title={t('exportTitle')}>
      <svg
        viewBox="0 0 24 24"
        width="12"
        height="12"
        className="inline -mt-0.5 mr-1"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        aria-hidden
      >
        <path d="M12 3v12m0 0-4-4m4 4 4-4M4 17v3h16v-3" />
      </svg>
      {t('exportCsv')}
    </a>
  )
}
