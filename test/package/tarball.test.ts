/**
 * The packed tarball itself (packed once by support/global-setup.ts): what it holds and weighs,
 * publint on the installed copy, and @arethetypeswrong/cli on the tarball with the `esm-only`
 * profile: the package is ESM, and CommonJS callers reach it through Node's require(esm)
 * (>= 20.19), which node.test.ts runs for real; the profile leaves out the node10 and node16-cjs
 * resolutions that predate it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { describe, expect, inject, it } from 'vitest'
import { REPO, run } from './support/run'

const suite = inject('packageSuite')
const installed = join(suite.app, 'node_modules/obrolan')
const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

describe('the tarball', () => {
  it('holds the entries, their types, LICENSE and README, and no maps of the script files', () => {
    const paths = suite.pack.files.map((file) => file.path)
    console.log(
      `tarball: ${kb(suite.pack.size)} packed, ${kb(suite.pack.unpackedSize)} unpacked, ${paths.length} files; largest:\n` +
        [...suite.pack.files]
          .sort((a, b) => b.size - a.size)
          .slice(0, 8)
          .map((file) => `  ${kb(file.size).padStart(9)}  ${file.path}`)
          .join('\n'),
    )
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'bin/obrolan.js']))
    for (const script of ['obrolan.iife.js', 'obrolan.chat.js', 'obrolan.umd.cjs']) {
      expect(paths).toContain(`dist/${script}`)
      expect(paths.filter((path) => path.startsWith(`dist/${script}`) && path.endsWith('.map'))).toEqual([])
    }
    // Nothing but what package.json `files` names.
    expect(paths.filter((path) => !/^(dist\/|bin\/obrolan\.js$|LICENSE$|README\.md$|CHANGELOG\.md$|package\.json$)/.test(path))).toEqual([])
  })

  it('has source maps of our own code only', () => {
    const maps = suite.pack.files.map((file) => file.path).filter((path) => path.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(0)
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[] }
      expect(sources.filter((source) => !source.startsWith('../src/')), map).toEqual([])
    }
  })

  it('passes publint, suggestions included', async () => {
    const { messages, pkg } = await publint({ pkgDir: installed, pack: false, level: 'suggestion', strict: true })
    expect(messages.map((message) => formatMessage(message, pkg))).toEqual([])
  })

  it('passes @arethetypeswrong/cli for every entry', async () => {
    const attw = join(REPO, 'node_modules/@arethetypeswrong/cli/dist/index.js')
    const result = await run(process.execPath, [attw, suite.tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color'], REPO)
    console.log(result.stdout)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    for (const entry of Object.keys(manifest.exports)) {
      expect(result.stdout).toContain(`"${entry === '.' ? 'obrolan' : `obrolan/${entry.slice(2)}`}"`)
    }
  })
})
