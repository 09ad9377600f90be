// Headless Debian Chromium through playwright-core (never `npx playwright install`: see ../shared/stack.md §4).
import { chromium } from 'playwright-core'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const CHROMIUM = process.env.VNT_CHROMIUM ?? '/usr/bin/chromium'

export async function launch() {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install chromium (scripts/install-deps.sh)`)
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vnt-chr-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1680, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
