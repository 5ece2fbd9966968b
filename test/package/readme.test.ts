/**
 * The README as users read it, from the installed tarball: every ```ts and ```tsx block is
 * written to a file of its own in the frameworks consumer (where React, Vue and ioredis are
 * installed) and type-checked against the installed package, strict, with `skipLibCheck: false`,
 * under `moduleResolution: bundler` in one program with that consumer's own React, Vue and Redis
 * code; an error in a block is reported at its README line. And every name an entry exports at run time is
 * documented: it appears in the README's code.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { mustRun, run, TSC } from './support/run'

const suite = inject('packageSuite')
const readme = readFileSync(join(suite.frameworks, 'node_modules/obrolan/README.md'), 'utf8')

interface Block {
  line: number
  lang: 'ts' | 'tsx'
  code: string
}

function typeScriptBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  for (const match of markdown.matchAll(/^```(ts|tsx)\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1
    blocks.push({ line, lang: match[1] as Block['lang'], code: match[2]! })
  }
  return blocks
}

describe('README.md', () => {
  it('has TypeScript examples that type-check against the installed package (with the React, Vue and Redis code)', async () => {
    const blocks = typeScriptBlocks(readme)
    expect(blocks.length).toBeGreaterThanOrEqual(8)
    const dir = join(suite.frameworks, 'readme')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
    // Each block is a module of its own, so the examples' names do not clash.
    for (const block of blocks) writeFileSync(join(dir, `line-${block.line}.${block.lang}`), `${block.code}export {}\n`)
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.bundler.json', '--pretty', 'false'], suite.frameworks)
    const errors = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((text) => text.replace(/^readme\/line-(\d+)\.tsx?\((\d+),(\d+)\)/, (_, start, line, column) => `README.md:${Number(start) + Number(line) - 1}:${column}`))
    expect(errors).toEqual([])
    expect(result.code).toBe(0)
  })

  it('documents every name the entries export at run time', async () => {
    const entries = ['obrolan', 'obrolan/widget', 'obrolan/element', 'obrolan/react', 'obrolan/vue', 'obrolan/server', 'obrolan/server/redis']
    const script = `const names = {}; for (const entry of ${JSON.stringify(entries)}) names[entry] = Object.keys(await import(entry)); console.log(JSON.stringify(names))`
    const { stdout } = await mustRun(process.execPath, ['--input-type=module', '-e', script], suite.frameworks)
    const exported = JSON.parse(stdout) as Record<string, string[]>
    const code = [...readme.matchAll(/`[^`\n]+`|^```[\s\S]*?^```$/gm)].map((match) => match[0]).join('\n')
    const undocumented = Object.entries(exported).flatMap(([entry, names]) =>
      names.filter((name) => !new RegExp(`\\b${name}\\b`).test(code)).map((name) => `${entry}: ${name}`),
    )
    expect(Object.values(exported).flat().length).toBeGreaterThanOrEqual(12)
    expect(undocumented).toEqual([])
  })
})
