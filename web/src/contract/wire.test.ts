// @vitest-environment node
// The web app's types against the server's JSON: the goldens of tests/golden/api/ (answers of the real server,
// kept equal to it by tests/functional/api_shape_test.py) are validated against a JSON Schema generated from
// the app's own types (wire.ts: one member per golden). Every object is closed, so a field the server renames,
// adds or drops, or a field renamed in a web type, fails here; so does a time written in another form than its
// type's @pattern (ExchangeTime "YYYY-MM-DDTHH:MM:SS+07:00", ...). After a deliberate change of the API: update
// the goldens (api_shape_test.py VNTRACKER --update), then the types until this passes.
import { beforeAll, describe, expect, it } from 'vitest'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { createGenerator } from 'ts-json-schema-generator'
import { NOT_READ } from './wire'

interface Golden {
  request: string // "GET /api/market/symbol/ACB", "WS /ws/market snapshot"
  status: number
  body: unknown
}

const files = import.meta.glob<Golden>('../../../tests/golden/api/*.json', { eager: true, import: 'default' })
const byName = new Map(Object.entries(files).map(([path, g]) => [path.replace(/^.*\/|\.json$/g, ''), g]))
const goldens = [...byName.keys()].sort()

function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('\n')
}

describe('the web types against the server JSON (tests/golden/api)', () => {
  let members: string[] = []
  const validators = new Map<string, ValidateFunction>()

  beforeAll(() => {
    const schema = createGenerator({
      path: 'src/contract/wire.ts', // vitest runs in web/
      tsconfig: 'tsconfig.json',
      type: 'Wire',
      additionalProperties: false, // closed objects: a field the type does not name is an error
      skipTypeCheck: true, // tsc -b checks the types; this only reads them
      topRef: false,
      jsDoc: 'basic', // annotations such as @pattern (types.ts: ExchangeTime, ClockTime, ...) are checked too
    }).createSchema('Wire')
    const ajv = new Ajv({ allErrors: true, strict: false })
    ajv.addSchema({ ...schema, $id: 'wire' })
    members = Object.keys((schema as { properties: Record<string, unknown> }).properties)
    for (const m of members) validators.set(m, ajv.compile({ $ref: `wire#/properties/${m}` }))
  }, 120_000)

  it('every golden is typed by the app or listed as not read, and every typed answer has its golden', () => {
    const unknown = goldens.filter((g) => !members.includes(g) && !NOT_READ.includes(g))
    const missing = [...members, ...NOT_READ].filter((m) => !goldens.includes(m))
    expect({ unknown, missing }).toEqual({ unknown: [], missing: [] })
  })

  it.each(goldens.filter((g) => !NOT_READ.includes(g)))('%s', (name: string) => {
    const validate = validators.get(name)
    expect(validate, `${name}: no member in wire.ts`).toBeDefined()
    const g = byName.get(name)!
    const ok = validate!(g.body)
    expect(ok, `${g.request} does not match its web type:\n${explain(validate!.errors)}`).toBe(true)
  })
})
