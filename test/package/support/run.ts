/** Running the consumers' commands: a child process whose output is kept for the failure message. */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root: tools the consumers borrow (tsc, vite, esbuild) come from its node_modules. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url))
export const TSC = `${REPO}node_modules/typescript/bin/tsc`
export const VITE = `${REPO}node_modules/vite/bin/vite.js`

export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

/** Runs `command` and resolves with its output and exit code; never rejects on a non-zero exit. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed to run: ${error.message}\n${stderr}`))
        else resolve({ stdout, stderr, code: typeof error?.code === 'number' ? error.code : 0 })
      },
    )
  })
}

/** Like `run`, but a non-zero exit is an error that shows everything the command printed. */
export async function mustRun(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<RunResult> {
  const result = await run(command, args, cwd, env, timeoutMs)
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
  }
  return result
}

/** `node file` in `cwd`: the consumers' own scripts, printing one JSON line of findings last. */
export async function runNodeJson<T>(file: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const { stdout } = await mustRun(process.execPath, [file], cwd, env)
  const last = stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(last) as T
  } catch {
    throw new Error(`${file} printed no JSON line at the end:\n${stdout}`)
  }
}
