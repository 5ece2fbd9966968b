/**
 * What the server says when it starts: where it listens, and every setting that is insecure or
 * loses data, so an owner reading the log learns it before a visitor does.
 */
import type { Logger } from './logger'
import type { ResolvedOptions } from './server-options'

export interface StartupFacts {
  url: string
  /** The one-time link for the first owner, when accounts are on and none exists. */
  setupUrl?: string
  storeKind: 'memory' | 'redis' | 'custom' | (string & {})
  /** Where files sent with messages are kept. */
  fileStoreKind: 'memory' | 'disk' | 'custom' | 'off'
}

export function startupWarnings(settings: ResolvedOptions, facts: StartupFacts): string[] {
  const warnings: string[] = []
  if (facts.storeKind === 'memory') warnings.push('conversations are kept in memory: nothing survives a restart (set a database)')
  if (facts.fileStoreKind === 'memory') warnings.push('files sent with messages are kept in memory: none survives a restart (set uploads.directory)')
  if (settings.secretIsRandom) warnings.push('no secret set: a random one is used, so every visitor becomes a stranger after a restart (set secret)')
  else if (settings.secret.length < 16) warnings.push('the secret is shorter than 16 characters; use 32 random bytes')
  if (settings.allowedOrigins === '*') warnings.push("allowedOrigins is '*': any web page can open chat sockets with its visitors' credentials")
  const { accounts, custom } = settings.agentAccess
  if (!accounts && custom === 'none') warnings.push('no agent can connect: there are no agent accounts and no authenticateAgent')
  if (accounts && facts.setupUrl) warnings.push(`no agent account exists yet: open the setup link to create the owner (valid 24 h): ${facts.setupUrl}`)
  if (custom === 'agentToken') warnings.push('agents sign in with one shared agentToken (for development): every agent is the same "Agent"')
  return warnings
}

/** Logs the start and its warnings; returns the warnings. */
export function reportStartup(logger: Logger, settings: ResolvedOptions, facts: StartupFacts): string[] {
  logger.info({ url: facts.url, publicUrl: settings.publicUrl, store: facts.storeKind, agents: settings.agentAccess }, `chat server listening on ${facts.url}`)
  const warnings = startupWarnings(settings, facts)
  for (const warning of warnings) logger.warn({ setting: true }, warning)
  return warnings
}
