/**
 * Bundler users of the installed tarball: `vite build` of the Vite + TypeScript app (run by the
 * global setup: a page with <obrolan-chat>, and a page that imports the script-tag loader),
 * printing how much of the app's JavaScript the chat is; and esbuild, which honours `sideEffects` the same way: the script files
 * and the custom element stay in a bundle that imports them, and an unused import of a
 * side-effect-free entry leaves nothing behind. The built app runs in Chromium in browser.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, inject, it } from 'vitest'

const suite = inject('packageSuite')

interface ChunkReport {
  fileName: string
  name: string
  isEntry: boolean
  imports: string[]
  size: number
  modules: Record<string, number>
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

/** `node_modules/<package>` for a dependency's module, else `app` for the app's own. */
function owner(id: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)
  return match ? match[1]! : 'app'
}

describe('vite build', () => {
  const report = JSON.parse(readFileSync(join(suite.app, 'build-report.json'), 'utf8')) as ChunkReport[]

  it('builds the app with <obrolan-chat>, and prints the chat\'s share of its JavaScript', () => {
    const main = report.find((chunk) => chunk.isEntry && chunk.name === 'main')!
    const chunks = [main, ...main.imports.map((file) => report.find((chunk) => chunk.fileName === file)!)]
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.size, 0)
    const gzip = chunks.reduce((sum, chunk) => sum + gzipSync(readFileSync(join(suite.app, 'build', chunk.fileName)), { level: 9 }).length, 0)
    const byOwner = new Map<string, number>()
    for (const chunk of chunks) for (const [id, length] of Object.entries(chunk.modules)) byOwner.set(owner(id), (byOwner.get(owner(id)) ?? 0) + length)
    const rendered = [...byOwner.values()].reduce((sum, length) => sum + length, 0)
    const app = byOwner.get('app') ?? 0
    const lines = [...byOwner].sort((a, b) => b[1] - a[1]).map(([name, length]) => `  ${kb(length).padStart(9)}  ${((100 * length) / rendered).toFixed(1).padStart(5)}%  ${name}`)
    console.log(
      `vite build, page with <obrolan-chat>: ${kb(bytes)} of JavaScript (${kb(gzip)} gzip); the chat (obrolan and its dependencies) is ` +
        `${((100 * (rendered - app)) / rendered).toFixed(1)}% of it. Bytes per package before minifying:\n${lines.join('\n')}`,
    )
    expect(byOwner.get('obrolan')).toBeGreaterThan(50_000)
    expect(byOwner.get('preact')).toBeGreaterThan(0)
    // Nothing of the server reaches a browser bundle.
    expect([...byOwner.keys()].filter((name) => /socket\.io$|^engine\.io$|^ws$|ioredis/.test(name))).toEqual([])
    expect(readFileSync(join(suite.app, 'build', main.fileName), 'utf8')).toContain('obrolan-chat')
  })

  it('keeps the script-tag loader that a page imports', () => {
    const loader = report.find((chunk) => chunk.isEntry && chunk.name === 'loader')!
    expect(Object.keys(loader.modules).some((id) => id.endsWith('node_modules/obrolan/dist/obrolan.iife.js'))).toBe(true)
    expect(loader.size).toBeGreaterThan(5_000)
    expect(readFileSync(join(suite.app, 'build', loader.fileName), 'utf8')).toContain('obrolan.chat.js')
  })
})

describe('esbuild', () => {
  /** Bundles `contents` from the app, or from the frameworks project where React and Vue are installed. */
  async function bundle(contents: string, from = suite.app): Promise<string> {
    const result = await build({
      stdin: { contents, resolveDir: from, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    })
    return result.outputFiles[0]!.text
  }

  it.each([
    ['obrolan/obrolan.iife.js', 'obrolan.chat.js'],
    ['obrolan/obrolan.chat.js', '__obrolanChat'],
    ['obrolan/obrolan.umd.js', 'createChatClient'],
    ['obrolan/element', 'obrolan-chat'],
  ])('keeps `import "%s"`', async (entry, marker) => {
    const code = await bundle(`import '${entry}'`)
    expect(code.length).toBeGreaterThan(1_000)
    expect(code.includes(marker), `the bundle has no ${marker}`).toBe(true)
  })

  it.each(['obrolan', 'obrolan/widget', 'obrolan/react', 'obrolan/vue'])('drops an unused `import "%s"`', async (entry) => {
    expect(await bundle(`import '${entry}'`, suite.frameworks)).toBe('')
  })
})
