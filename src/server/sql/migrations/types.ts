import type { EngineKind } from '../engine'

/** One step of the schema: `run` executes one SQL statement; `engine` says which dialect it is. */
export type SqlMigration = (step: { run: (statement: string) => Promise<void>; engine: EngineKind }) => Promise<void>
