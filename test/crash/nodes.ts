/**
 * Server nodes as child processes for the crash tests, and the clients that talk to them. The
 * node runs the TypeScript source, bundled by esbuild into node_modules/.cache (imports resolve
 * from node_modules), so a test never runs a stale build.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createChatClient, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'

const root = fileURLToPath(new URL('../..', import.meta.url))

export const AGENT_TOKEN = 'crash-agent'
export const SECRET = 'crash-secret-that-is-long-enough'

export interface NodeProcess {
  child: ChildProcess
  url: string
  port: number
}

/** Builds the node entry; the returned function removes the file. */
export async function bundleNode(): Promise<{ file: string; remove: () => Promise<void> }> {
  const file = `${root}node_modules/.cache/obrolan-crash/chat-node-${process.pid}-${Date.now()}.mjs`
  await build({
    entryPoints: [`${root}test/crash/chat-node.ts`],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  })
  return { file, remove: () => rm(file, { force: true }) }
}

export async function startNode(file: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node did not start within 15 s')), 15_000)
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before listening`)))
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type !== 'listening' || typeof message.port !== 'number') return
      clearTimeout(timer)
      resolve(message.port)
    })
  })
  return { child, port, url: `http://127.0.0.1:${port}` }
}

/** SIGKILL, and resolves once the process is gone. */
export async function killNode(node: NodeProcess): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return
  const exited = new Promise((resolve) => node.child.once('exit', resolve))
  node.child.kill('SIGKILL')
  await exited
}

export async function stopNode(node: NodeProcess): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return
  const exited = new Promise((resolve) => node.child.once('exit', resolve))
  node.child.kill('SIGTERM')
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 3_000)
  await exited
  clearTimeout(timer)
}

export function makeClient(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
  return createChatClient({
    url,
    storage: memoryStorage(),
    environment: manualEnvironment(),
    backoff: { minMs: 20, maxMs: 300 },
    ackTimeoutMs: 3000,
    socket: { transports: ['websocket'] },
    ...options,
  })
}
