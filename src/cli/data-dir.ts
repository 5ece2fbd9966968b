/**
 * The data folder: where the SQLite database and the generated secret live. The secret is made
 * once and kept, so that visitors stay who they were across restarts; the file is readable by its
 * owner only.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
}

export function loadOrCreateSecret(dir: string): { secret: string; created: boolean } {
  const path = join(dir, 'secret')
  try {
    const secret = readFileSync(path, 'utf8').trim()
    if (secret.length >= 32) return { secret, created: false }
    throw new Error(`${path} holds no usable secret (fewer than 32 characters); remove it to have a new one made, or set OBROLAN_SECRET`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(32).toString('base64url')
  // 'wx': if another process made it meanwhile, this fails instead of replacing theirs.
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return { secret, created: true }
}
