/**
 * The site owner's one command from the packed tarball: `npx obrolan start` in the app consumer
 * (the tarball installed as users install it), configured by environment variables only; a
 * visitor and a signed-in agent chat through it, and a restart keeps everything
 * (test/support/cli-scenario.ts).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { runStartScenario } from '../support/cli-scenario'

const suite = inject('packageSuite')
const cleanup: (() => void)[] = []
const folder = mkdtempSync(join(suite.root, 'site-'))
afterAll(() => {
  for (const step of cleanup) step()
  rmSync(folder, { recursive: true, force: true })
})

describe('npx obrolan start', () => {
  it('says its version and its help from the installed package', () => {
    const run = (...args: string[]) => execFileSync('npx', ['--prefix', suite.app, '--no-install', 'obrolan', ...args], { cwd: folder, encoding: 'utf8' })
    const manifest = JSON.parse(readFileSync(join(suite.app, 'node_modules', 'obrolan', 'package.json'), 'utf8')) as { version: string }
    expect(run('--version').trim()).toBe(manifest.version)
    expect(run('--help')).toMatch(/start[\s\S]*agents add[\s\S]*DATABASE_URL/)
  })


  it('runs from the installed package with environment variables only, and a restart keeps everything', { timeout: 90_000 }, async () => {
    // npx finds the command in the app's node_modules/.bin, as it does in a site's own project.
    await runStartScenario({ argv: ['npx', '--prefix', suite.app, '--no-install', 'obrolan'], cwd: folder, launcher: true }, cleanup)
  })
})
