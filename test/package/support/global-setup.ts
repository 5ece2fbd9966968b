/**
 * The package suite's setup (vitest `globalSetup` of the `package` project, see vitest.config.ts):
 * packs the built package once, as `npm publish` would, and installs the tarball into two
 * consumer projects in a temporary folder, the way users install it:
 *
 * - `app/`: `obrolan` from the tarball and nothing else of ours (no ioredis, React or Vue), plus
 *   `@types/node`. The Vite + TypeScript app, the Node ESM server, the CommonJS script, the
 *   server-rendering imports and the browser pages all live here.
 * - `frameworks/`: the tarball with React, Vue, their nanostores bindings and the optional Redis
 *   packages, at the versions this repository tests with: obrolan/react, obrolan/vue, the README's
 *   examples.
 *
 * Only the tarball and what each consumer needs are installed (`npm install --prefer-offline`, so
 * packages already in npm's cache come from there); the tools that check them (tsc, vite,
 * esbuild, publint, attw, Chromium) are the repository's own. The fixture files are copied from
 * test/package/fixtures. `npm test` builds dist/ first; run alone, the suite refuses a dist/ older
 * than src/. Set KEEP_PACKAGE_CONSUMERS=1 to keep the folder for a look.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { mustRun, REPO, VITE } from './run'

export interface PackageSuite {
  root: string
  tarball: string
  app: string
  frameworks: string
  pack: { size: number; unpackedSize: number; files: { path: string; size: number }[] }
}

declare module 'vitest' {
  export interface ProvidedContext {
    packageSuite: PackageSuite
  }
}

const FIXTURES = join(REPO, 'test/package/fixtures')

/** The version of a package installed in this repository, so a consumer gets what we test with. */
function repoVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

function newestFile(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs)
  }
  return newest
}

function checkBuilt(): void {
  const built = join(REPO, 'dist/index.js')
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before the package suite')
  if (statSync(built).mtimeMs < newestFile(join(REPO, 'src'))) {
    throw new Error('dist/ is older than src/: run `npm run build` before the package suite')
  }
}

function consumer(root: string, name: string, tarball: string, dependencies: string[]): string {
  const dir = join(root, name)
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  const manifest = {
    name: `obrolan-consumer-${name}`,
    private: true,
    type: 'module',
    dependencies: {
      obrolan: `file:${tarball}`,
      ...Object.fromEntries(dependencies.map((dependency) => [dependency, repoVersion(dependency)])),
    },
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return dir
}

async function install(dir: string): Promise<void> {
  await mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], dir, {}, 300_000)
}

export default async function setup(project: TestProject): Promise<() => void> {
  checkBuilt()
  const started = Date.now()
  const root = mkdtempSync(join(tmpdir(), 'obrolan-package-'))
  const packed = await mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], REPO)
  const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }[]
  const tarball = join(root, info!.filename)

  const app = consumer(root, 'app', tarball, ['@types/node'])
  const frameworks = consumer(root, 'frameworks', tarball, [
    '@types/node',
    'react',
    'react-dom',
    '@types/react',
    '@types/react-dom',
    '@nanostores/react',
    'vue',
    '@nanostores/vue',
    'ioredis',
    '@socket.io/redis-adapter',
  ])
  await Promise.all([install(app), install(frameworks)])
  // Built once here for bundle.test.ts (which reads its report) and browser.test.ts (which opens it).
  await mustRun(process.execPath, [VITE, 'build'], app)
  console.log(`package suite: packed and installed into ${root} in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  project.provide('packageSuite', {
    root,
    tarball,
    app,
    frameworks,
    pack: { size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files.map(({ path, size }) => ({ path, size })) },
  })
  return () => {
    if (process.env.KEEP_PACKAGE_CONSUMERS) console.log(`package suite: consumers kept in ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}
