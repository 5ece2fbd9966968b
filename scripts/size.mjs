#!/usr/bin/env node
// Size budgets: bundles each browser entry the way its users get it (esbuild, minified, browser
// platform, dependencies included), gzips it at level 9 and compares it with its budget.
//
//   node scripts/size.mjs               check budgets and that the README table is current
//   node scripts/size.mjs --write       rewrite the README table from the measurements
//   node scripts/size.mjs --breakdown   also print where the bytes go, per package and module
//
// Run after `npx tsup`: it measures `dist/`, which is what users install.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
// Kilobytes of 1000 bytes, as the size figures in our issues and most size tools use.
const KB = 1000

/**
 * `budget` is what CI enforces: today's size with a little headroom, so growth is a decision.
 * `target` is what we aim for; where the two differ, the README says why (see "Size").
 */
const ENTRIES = [
  {
    name: 'core',
    what: '`createChatClient` from `obrolan`, as a bundler includes it',
    contents: `export { createChatClient } from './dist/index.js'`,
    source: `export { createChatClient } from './src/index.ts'`,
    // socket.io-client as the transport (issue 11) and the outbox's tab hand-over, change
    // catch-up and lost-conversation handling (issue 10): about 10 KB more than the hand-written
    // packet layer on engine.io-client. Agents' paged and filtered lists, assignment and search
    // (+1.0 KB) and the visitor's context (+0.3 KB), issue 14. Each agent's own read marks and
    // unread counts (issue 13): +0.54 KB measured against main (31.995 → 32.535 KB gz). Files and
    // reactions, issue 16 (+5.2 KB, measured against main before the merge): uploads over HTTP
    // with progress, retry and cancel, unsent bytes kept in IndexedDB, the type and size checks,
    // pending reactions. Issue 16's site's availability and form, the visitor's contact and their
    // schemas (+1.2 KB: 37.8 → 39.0 KB gz measured against main with files and reactions; tab
    // sharing is `shareTabs`, not in this row: +1.8 KB).
    budget: 39.3 * KB,
    target: 18 * KB,
  },
  {
    name: 'widget',
    what: '`mountWidget` from `obrolan/widget`, with Preact and the core',
    contents: `export { mountWidget } from './dist/widget.js'`,
    source: `export { mountWidget } from './src/widget/index.ts'`,
    // The core's growth, and the page and browser reported to agents (page-context.ts, +1.0 KB);
    // the core's per-agent read marks (+0.6 KB). Issue 16: the core's files and reactions
    // (+5.2 KB) and their UI (+3.6 KB: the paperclip, drop and paste, thumbnails drawn into
    // canvases, full size, file chips, reaction chips and picker, their styles and words); the
    // core's site and contact, one connection for all tabs, and the widget's away notice and
    // e-mail prompt, pre-chat form, notifications (chime, title, mute), delete with undo, closed
    // conversations and their English and Indonesian strings (+7.6 KB: 57.9 → 65.5 KB gz
    // measured against main with files and reactions). Tab kept inside the full-size picture
    // (+0.1 KB).
    budget: 66.0 * KB,
    target: 30 * KB,
  },
  {
    name: 'element',
    what: '`<obrolan-chat>` from `obrolan/element`: the widget, registered as a custom element',
    contents: `import './dist/element.js'`,
    source: `import './src/element/index.ts'`,
    // The widget's budget and the element's own bytes.
    budget: 66.6 * KB,
    // The widget's target; the element itself adds under a kilobyte.
    target: 30 * KB,
  },
  {
    name: 'react',
    what: '`useChat` from `obrolan/react`: what it adds to the core row (React and @nanostores/react are the app\'s own)',
    contents: `export { useChat } from './dist/react.js'`,
    source: `export { useChat } from './src/react/index.ts'`,
    external: ['react', '@nanostores/react'],
    budget: 0.6 * KB,
    target: 0.6 * KB,
  },
  {
    name: 'vue',
    what: '`useChat` from `obrolan/vue`: what it adds to the core row (Vue and @nanostores/vue are the app\'s own)',
    contents: `export { useChat } from './dist/vue.js'`,
    source: `export { useChat } from './src/vue/index.ts'`,
    external: ['vue', '@nanostores/vue'],
    budget: 0.6 * KB,
    target: 0.6 * KB,
  },
  {
    name: 'script tag',
    what: '`dist/obrolan.iife.js`, the loader every page view gets (launcher CSS included)',
    files: ['dist/obrolan.iife.js'],
    budget: 5.5 * KB,
    target: 30 * KB,
  },
  {
    name: 'chat opened',
    what: 'the loader + `dist/obrolan.chat.js`, fetched on first open or for a returning visitor (two files, gzip summed)',
    files: ['dist/obrolan.iife.js', 'dist/obrolan.chat.js'],
    // The widget's growth (see there), in the chat file; the loader carries only the launcher's
    // strings (65.9 → 72.9 KB gz measured against main with files and reactions); then Tab kept
    // in the full-size picture and the shared message actions (+0.3 KB).
    budget: 73.5 * KB,
    // The widget's target plus the loader's few kilobytes.
    target: 35 * KB,
  },
  {
    name: 'inbox',
    what: 'the agent inbox\'s first screen: every script `dist/inbox/index.html` loads (gzip summed)',
    files: inboxScripts,
    // The core grew with socket.io-client (see the core's budget); 53: WhatsApp labels, channel
    // delivery failures and the way to Settings → Integrations (the page itself, 3.4 KB, is a
    // chunk of its own that loads when opened). Issue 14's team features: the core's paged and
    // filtered lists, assignment and search (+1.0 KB), and in the UI assignment, the visitor
    // details, canned replies (the / list and their page), search and paging, with their English
    // and Indonesian words (+6.4 KB). Each agent's own read marks and unread counts in the core
    // (+0.6 KB); the agents page then became a chunk of its own, loaded when opened (−0.7 KB).
    // Issue 16: the core's files and reactions (+5.2 KB) and the inbox's side of them (+2.3 KB:
    // file and picture views, full size, sending, reactions), 67.1 KB; then the conversation view
    // (messages, files, reactions, reply box, details: 8.5 KB) became a chunk fetched as soon as
    // the list is up, so the first screen is the list's code: 58.6 KB. The site's availability and
    // form and the visitor's contact (their types and schemas, checked in every session and
    // conversation an agent gets): +1.2 KB, 58.6 → 59.8 KB gz measured against main.
    budget: 60 * KB,
    // Chatwoot's dashboard is megabytes; an inbox that opens at once on a phone is the point.
    target: 60 * KB,
  },
]

/** The scripts the inbox page loads before it can show anything: its module entry and preloads. */
function inboxScripts() {
  const page = `${root}dist/inbox/index.html`
  if (!existsSync(page)) throw new Error('size: dist/inbox/index.html is missing; run `npm run build` first')
  const html = readFileSync(page, 'utf8')
  const srcs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/inbox\/([^"]+\.js)"/g)].map((m) => `dist/inbox/${m[1]}`)
  if (srcs.length === 0) throw new Error('size: dist/inbox/index.html loads no script')
  return srcs
}

async function measure(entry) {
  if (entry.files) {
    // Files served separately are compressed separately: sum each file's gzip size.
    let min = 0
    let gz = 0
    for (const file of typeof entry.files === 'function' ? entry.files() : entry.files) {
      const code = readFileSync(`${root}${file}`)
      min += code.length
      gz += gzipSync(code, { level: 9 }).length
    }
    return { min, gz, inputs: undefined }
  }
  return bundle(entry.contents, entry.external)
}

/** `external`: packages the app brings itself (a framework), left out of the measurement. */
async function bundle(contents, external = []) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    external,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs: Object.values(result.metafile.outputs)[0].inputs }
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`

function packageOf(path) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (match) return match[1]
  return path.replace(/^(dist|src)\/([^/.]+).*$/, '$1/$2')
}

function table(rows) {
  const lines = ['| entry | what | gzip | budget | target |', '| --- | --- | --- | --- | --- |']
  for (const { entry, size } of rows) {
    const target = size.gz <= entry.target ? `${kb(entry.target)} ✓` : `${kb(entry.target)} (over by ${kb(size.gz - entry.target)})`
    lines.push(`| ${entry.name} | ${entry.what} | ${kb(size.gz)} | ${kb(entry.budget)} | ${target} |`)
  }
  return lines.join('\n')
}

const START = '<!-- size-table:start -->'
const END = '<!-- size-table:end -->'

const args = new Set(process.argv.slice(2))
const rows = []
for (const entry of ENTRIES) rows.push({ entry, size: await measure(entry) })

let failed = false
for (const { entry, size } of rows) {
  const over = size.gz > entry.budget
  failed ||= over
  console.log(`size: ${entry.name.padEnd(11)} ${kb(size.min).padStart(9)} min ${kb(size.gz).padStart(8)} gz  budget ${kb(entry.budget)}  ${over ? 'OVER BUDGET' : 'ok'}`)
}

if (args.has('--breakdown')) {
  for (const { entry, size } of rows) {
    if (!size.inputs) continue
    const byPackage = new Map()
    for (const [path, { bytesInOutput }] of Object.entries(size.inputs)) {
      byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + bytesInOutput)
    }
    console.log(`\n${entry.name}: minified bytes per package (gzip does not split by module)`)
    for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`  ${String(bytes).padStart(7)}  ${name}`)
    if (!entry.source) continue
    // dist/ is one chunk; bundling the sources the same way shows which of our modules weigh.
    const fromSource = await bundle(entry.source, entry.external)
    const ours = Object.entries(fromSource.inputs).filter(([path]) => path.startsWith('src/') && path !== 'src/index.ts')
    console.log(`${entry.name}: minified bytes per module of our own code, bundled from src/ (${kb(fromSource.min)} min in all)`)
    for (const [path, { bytesInOutput }] of ours.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
      if (bytesInOutput > 0) console.log(`  ${String(bytesInOutput).padStart(7)}  ${path}`)
    }
  }
}

const readmePath = `${root}README.md`
const readme = readFileSync(readmePath, 'utf8')
const start = readme.indexOf(START)
const end = readme.indexOf(END)
if (start < 0 || end < 0) {
  console.error(`README.md has no ${START} … ${END} section`)
  process.exit(1)
}
const current = readme.slice(start + START.length, end).trim()
const fresh = table(rows)
if (args.has('--write')) {
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${fresh}\n${readme.slice(end)}`)
  console.log('size: README table written')
} else if (current !== fresh) {
  console.error('size: the README size table is out of date; run `node scripts/size.mjs --write`')
  failed = true
}

if (failed) process.exit(1)
