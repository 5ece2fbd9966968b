/**
 * The `obrolan` command. `obrolan start` runs the product; `obrolan agents …` manages agent
 * accounts on the same database, for scripts and for recovery (a forgotten password, a lost
 * owner). Every failure ends with a message and a non-zero exit code, never a stack trace.
 */
import { readFileSync } from 'node:fs'
import { agentsCommand } from './agents'
import { parseArgs, type ParsedArgs } from './args'
import { keysCommand } from './keys'
import { webhooksCommand } from './webhooks'
import { readSettings, SETTINGS, type SettingSpec } from './settings'
import { start, type Console } from './start'

const USAGE = `Usage: obrolan <command> [options]

Commands:
  start                               run the chat server, the agent inbox and the widget files
  agents add <email> --name <name> --password-stdin [--owner]
                                      create an agent account (the first one is the owner)
  agents list                         list agent accounts
  agents remove <email>               remove an agent and end their sessions
  agents reset-password <email> --password-stdin
                                      set a new password and end their sessions
  keys add <name> [--scopes read,write]
                                      make a REST API key (read only unless told); printed once
  keys list                           list API keys (never the keys themselves)
  keys revoke <id or prefix>          revoke an API key
  webhooks add <url> [--events a,b]   subscribe a URL to events (all unless told); its secret is printed once
  webhooks list                       list webhook subscriptions
  webhooks remove <id>                remove a subscription
  webhooks log <id>                   its latest deliveries with their last answer

Options (each also an environment variable):
${(SETTINGS as readonly SettingSpec[]).map((spec) => `  ${`${spec.flag} <value>`.padEnd(26)} ${spec.env.padEnd(24)} ${spec.describe} (default: ${spec.default})`).join('\n')}
  --help, --version
`

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

export async function main(argv: readonly string[], env: Record<string, string | undefined>, console: Console, stdin: () => Promise<string>): Promise<number> {
  const args = parseArgs(argv)
  if (args.switches.has('--version') || args.switches.has('-v')) {
    console.out(version())
    return 0
  }
  const [command, ...rest] = args.words
  if (args.switches.has('--help') || args.switches.has('-h') || command === undefined || command === 'help') {
    console.out(USAGE)
    return command === undefined && !args.switches.has('--help') && !args.switches.has('-h') ? 1 : 0
  }
  if (command === 'start') {
    const settings = readSettings(env, args.flags)
    const server = await start(settings, console)
    await stopOnSignal(() => server.close(), console)
    return 0
  }
  if (command === 'agents') return agentsCommand(rest, args, settingsOf(env, args, ['--name']), console, stdin)
  if (command === 'keys') return keysCommand(rest, args, settingsOf(env, args, ['--scopes']), console)
  if (command === 'webhooks') return webhooksCommand(rest, args, settingsOf(env, args, ['--events']), console)
  console.err(`Unknown command "${command}". ${USAGE}`)
  return 1
}

/** The settings of a subcommand whose own flags (`own`) are not settings. */
function settingsOf(env: Record<string, string | undefined>, args: ParsedArgs, own: readonly string[]) {
  return readSettings(env, Object.fromEntries(Object.entries(args.flags).filter(([flag]) => !own.includes(flag))))
}

/** Resolves once the server has closed after SIGINT or SIGTERM; a second signal exits at once. */
function stopOnSignal(close: () => Promise<void>, console: Console): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false
    const stop = (signal: string): void => {
      if (stopping) {
        console.err(`${signal} again: exiting without waiting`)
        process.exit(1)
      }
      stopping = true
      console.err(`${signal}: closing connections and the database…`)
      close().then(resolve, reject)
    }
    process.on('SIGINT', () => stop('SIGINT'))
    process.on('SIGTERM', () => stop('SIGTERM'))
  })
}
