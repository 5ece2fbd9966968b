/**
 * `obrolan start` from the repository's command (bin/obrolan.js running dist/cli.js; `npm test` builds it first). The same
 * scenario runs from the packed tarball in test/package/cli.test.ts.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runStartScenario } from '../support/cli-scenario'

const CLI = fileURLToPath(new URL('../../bin/obrolan.js', import.meta.url))
const BUILT = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'obrolan-cli-'))
const cleanup: (() => void)[] = []
afterAll(() => {
  for (const step of cleanup) step()
  rmSync(folder, { recursive: true, force: true })
})

describe('obrolan start', () => {
  it('runs the product from environment variables, and a restart keeps everything', { timeout: 60_000 }, async () => {
    if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < statSync(fileURLToPath(new URL('../../src/cli/start.ts', import.meta.url))).mtimeMs) {
      throw new Error('dist/cli.js is missing or older than src/cli: run npm run build first')
    }
    await runStartScenario({ argv: [process.execPath, CLI], cwd: folder }, cleanup)
  })

  it('refuses to start with a bad setting, naming the variable', async () => {
    const child = spawn(process.execPath, [CLI, 'start'], { cwd: folder, env: { PATH: process.env.PATH ?? '', PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('obrolan: PORT (or --port) must be a port number from 1 to 65535; got "eighty"')
  })
})
