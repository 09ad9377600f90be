// CSV export: the server answers the page's own query with ?format=csv (UTF-8 with a BOM, RFC 4180, a
// header row, Content-Disposition naming the file), so a button is a plain download link. The web app
// sends no API token (a server with --api-token needs ?token= in the URL for the whole app anyway).
export function csvUrl(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const [base, query = ''] = path.split('?')
  const q = new URLSearchParams(query)
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') q.delete(k)
    else q.set(k, String(v))
  }
  q.set('format', 'csv')
  return `${base}?${q}`
}

// A minimal RFC 4180 reader (tests, and anything that reads an export back): rows of fields.
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}
