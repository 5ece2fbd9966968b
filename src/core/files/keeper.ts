/**
 * Where the bytes of files waiting to be sent are kept, apart from the outbox (which is text in
 * storage): in memory for this page's life, or in IndexedDB (`idb-keeper.ts`), where they survive
 * a reload and another tab can send them. Keys are the outbox's storage prefix and the message's
 * clientId.
 */

export interface FileKeeper {
  put(key: string, file: Blob): Promise<void>
  get(key: string): Promise<Blob | undefined>
  delete(key: string): Promise<void>
  /** True when the bytes outlive the page (a reload does not lose them). */
  readonly durable: boolean
}

export function memoryKeeper(): FileKeeper {
  const files = new Map<string, Blob>()
  return {
    durable: false,
    async put(key, file) {
      files.set(key, file)
    },
    async get(key) {
      return files.get(key)
    },
    async delete(key) {
      files.delete(key)
    },
  }
}
