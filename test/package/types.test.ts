/**
 * TypeScript users, against the installed tarball with `skipLibCheck: false` (our declaration
 * files are checked as strictly as the user's code): the Vite + TypeScript app under the
 * `bundler`, `node16` and `nodenext` module modes (client, widget, custom element, the script
 * tag's `window.Obrolan`, the UMD global, the server in a project without ioredis); the framework
 * bindings and Redis with React, Vue and ioredis installed; and a CommonJS project under
 * `nodenext` that type-checks, compiles to require() calls and runs.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { mustRun, runNodeJson, TSC } from './support/run'

const suite = inject('packageSuite')

async function typeCheck(dir: string, config: string): Promise<void> {
  await mustRun(process.execPath, [TSC, '-p', config, '--pretty', 'false'], dir)
}

describe('TypeScript, skipLibCheck false', () => {
  it('the app project has no ioredis, React or Vue: what it checks needs none of them', () => {
    for (const name of ['ioredis', 'react', 'vue', '@socket.io/redis-adapter']) {
      expect(existsSync(join(suite.app, 'node_modules', name)), name).toBe(false)
    }
  })

  it.each(['bundler', 'node16', 'nodenext'])('the app type-checks under moduleResolution %s', async (mode) => {
    await typeCheck(suite.app, `tsconfig.${mode}.json`)
  })

  it('React, Vue and Redis code type-checks under moduleResolution nodenext', async () => {
    await typeCheck(suite.frameworks, 'tsconfig.nodenext.json')
  })

  it('a CommonJS project (module nodenext) type-checks, compiles to require() and runs', async () => {
    const cjs = join(suite.app, 'cjs')
    await typeCheck(cjs, 'tsconfig.json')
    const found = await runNodeJson<{ sent: string; status: string; required: Record<string, string[]> }>('build/script.js', cjs)
    expect(found.sent).toBe('from CommonJS')
    expect(found.status).toBe('sent')
    expect(found.required['obrolan/widget']).toContain('mountWidget')
    expect(found.required['obrolan/element']).toContain('ObrolanChatElement')
    // The UMD file, under both names, is the same CommonJS module with the SDK in it.
    expect(found.required['obrolan/obrolan.umd.js']).toEqual(expect.arrayContaining(['createChatClient', 'mountWidget', 'ChatError']))
    expect(found.required['obrolan/obrolan.umd.cjs']).toEqual(found.required['obrolan/obrolan.umd.js'])
  })
})
