#!/usr/bin/env node
// Runs every benchmark in sequence against the built package and prints the machine first, then
// each benchmark's one line. Build first: `npm ci && npx tsup`. A benchmark that fails (an error,
// never a threshold) is reported and the rest still run; the exit code is then 1.
// Each script's wall time goes to stderr, so stdout is exactly the machine line and one line per
// benchmark. Run a script by itself to change its sizes (each has flags, see its header).
//
//   node bench/run-all.mjs [latency throughput reconnect memory render inbox server storage]
import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { requireDist } from './lib/common.mjs'

const ALL = ['latency', 'throughput', 'reconnect', 'memory', 'render', 'inbox', 'server', 'storage']
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL
for (const name of chosen) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark "${name}"; choose from ${ALL.join(', ')}`)
    process.exit(2)
  }
}

try {
  requireDist()
} catch (error) {
  console.error(error.message)
  process.exit(1)
}

const cpu = cpus()
console.log(`machine: ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${cpu.length} cores, node ${process.version}, ${process.platform}/${process.arch}`)

let failed = 0
for (const name of chosen) {
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url))
  const started = Date.now()
  const { code, stdout, stderr } = await run(script)
  const line = stdout.trim().split('\n').filter(Boolean).pop()
  if (code === 0 && line) {
    console.log(line)
    console.error(`  (${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`)
  } else {
    failed++
    console.log(`${name}: FAILED (exit ${code}) after ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (stderr.trim()) console.error(stderr.trim().split('\n').slice(-20).join('\n'))
  }
}
process.exit(failed ? 1 : 0)

function run(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code, signal) => resolve({ code: code ?? signal, stdout, stderr }))
  })
}
