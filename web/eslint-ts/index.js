// typescript-eslint, loaded against this package's TypeScript 6 (see package.json): TypeScript 7, the
// web's compiler, has no JS API, and npm hoists some typescript-eslint dependencies (ts-api-utils) next to
// it. So inside the ESLint process, every require("typescript") resolves to TypeScript 6.
import Module, { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const typescript6 = require.resolve('typescript')
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? typescript6 : request, ...rest)
}

export default require('typescript-eslint')
