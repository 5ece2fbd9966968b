/**
 * The SQL packages are loaded only when a `database` URL asks for them, so a server on memory or
 * Redis never loads a native module, and the browser bundles never see any of them. kysely and
 * better-sqlite3 are dependencies (SQLite is what `obrolan start` runs on); pg is an optional peer
 * that a PostgreSQL deployment installs.
 */
export type KyselyModule = typeof import('kysely')
type BetterSqlite3Module = typeof import('better-sqlite3')
type PgModule = typeof import('pg')

export async function loadKysely(): Promise<KyselyModule> {
  try {
    return await import('kysely')
  } catch (error) {
    throw new Error('The database option needs the package kysely (a dependency of obrolan): reinstall with npm install', { cause: error })
  }
}

export async function loadBetterSqlite3(): Promise<BetterSqlite3Module> {
  let module: { default?: BetterSqlite3Module } & BetterSqlite3Module
  try {
    module = (await import('better-sqlite3')) as never
  } catch (error) {
    throw new Error('SQLite needs the package better-sqlite3 (a dependency of obrolan): reinstall with npm install', { cause: error })
  }
  // A CommonJS module: its constructor is the default export when imported from ESM.
  return module.default ?? module
}

/**
 * better-sqlite3 loads its compiled addon when the first database opens. npm 11 skips install
 * scripts it was not told to allow, which leaves the addon unbuilt: say how to build it.
 */
export function explainMissingAddon(error: unknown): Error {
  const message = (error as Error)?.message ?? String(error)
  if (/Could not locate the bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/.test(message)) {
    return new Error(
      'better-sqlite3 is installed but its native addon is not built for this Node.js. ' +
        'Allow its install script and build it: npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3 ' +
        `(${message.split('\n')[0]})`,
      { cause: error },
    )
  }
  return error instanceof Error ? error : new Error(message)
}

export async function loadPg(): Promise<PgModule> {
  try {
    const module = (await import('pg')) as unknown as { default?: PgModule } & PgModule
    // pg is CommonJS: its classes sit on the default export when imported from ESM.
    return module.default ?? module
  } catch (error) {
    throw new Error('A postgres:// database needs the optional package pg: npm install pg', { cause: error })
  }
}
