#!/usr/bin/env node
// Finishes the UMD build (dist/obrolan.umd.cjs and .d.cts, written by tsup); `npm run build`
// runs it after tsup. Two things tsup cannot do:
//
// 1. Name the file's exports where Node can see them. Node's ESM loader finds a CommonJS file's
//    named exports by reading its text (cjs-module-lexer), and the UMD wrapper assigns
//    `module.exports` an object it builds at run time, so `import { createChatClient } from
//    'obrolan/obrolan.umd.cjs'` would find nothing. esbuild's own CommonJS output ends with
//    `0 && (module.exports = { … })` for this reason; we append the same line, with the names
//    the built file really exports (it is loaded here to ask it).
// 2. Make the declarations load under every module mode. A `.d.cts` file is read as CommonJS,
//    and a CommonJS file may not import an ESM-only package (nanostores is one) under
//    `module: node16` (TS1479), even in a project that only wants the `ObrolanSDK` global.
//    Everything such a declaration file imports from a package is a type, so each import becomes
//    a type-only import with `resolution-mode: "import"`, which every mode accepts.
//
// The package suite checks both: attw (named exports) and tsc under bundler, node16 and nodenext
// with `skipLibCheck: false`.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const code = fileURLToPath(new URL('../dist/obrolan.umd.cjs', import.meta.url))
const types = fileURLToPath(new URL('../dist/obrolan.umd.d.cts', import.meta.url))

const names = Object.keys(createRequire(import.meta.url)(code)).filter((name) => name !== '__esModule')
if (names.length === 0) {
  console.error(`finish-umd: ${code} exports nothing under require()`)
  process.exit(1)
}
appendFileSync(code, `\n0&&(module.exports={${names.join(',')}});\n`)

const declarations = readFileSync(types, 'utf8').replace(
  /^import \{ ([^}]+) \} from '([^'./][^']*)';$/gm,
  "import type { $1 } from '$2' with { 'resolution-mode': 'import' };",
)
const unknown = declarations.match(/^import (?!type).*$/m)
if (unknown) {
  console.error(`finish-umd: ${types} has an import this script does not understand:\n${unknown[0]}`)
  process.exit(1)
}
writeFileSync(types, declarations)
