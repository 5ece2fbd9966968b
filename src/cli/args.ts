/** The command line as words: the command path, `--flag value` / `--flag=value` pairs and switches. */

export interface ParsedArgs {
  /** Positional words: `agents add dewi@example.com` → ['agents', 'add', 'dewi@example.com']. */
  words: string[]
  flags: Record<string, string>
  switches: Set<string>
}

/** Flags that stand alone; every other `--flag` takes a value. */
const SWITCHES = new Set(['--help', '-h', '--version', '-v', '--password-stdin', '--owner'])

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { words: [], flags: {}, switches: new Set() }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (SWITCHES.has(arg)) parsed.switches.add(arg)
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      if (eq !== -1) parsed.flags[arg.slice(0, eq)] = arg.slice(eq + 1)
      else {
        const value = argv[i + 1]
        if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`)
        parsed.flags[arg] = value
        i++
      }
    } else parsed.words.push(arg)
  }
  return parsed
}
