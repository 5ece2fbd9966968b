/**
 * Files waiting to be sent, kept in IndexedDB so that a reload (or another tab taking over the
 * outbox) can still send them. What this page put is also held in memory, so its own uploads and
 * previews never wait for the database; if the database cannot be opened (a private window, a
 * full disk) the keeper says so once and works from memory.
 */
import { ChatError } from '../errors'
import { memoryKeeper, type FileKeeper } from './keeper'

const DATABASE = 'obrolan-files'
const STORE = 'files'

export function indexedDbKeeper(factory: IDBFactory, reportError: (error: ChatError) => void): FileKeeper {
  const memory = memoryKeeper()
  let opened: Promise<IDBDatabase | undefined> | undefined
  const database = (): Promise<IDBDatabase | undefined> =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DATABASE, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(STORE)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    }).catch((error: unknown) => {
      reportError(new ChatError('internal', `Files waiting to be sent are kept in memory only (IndexedDB: ${(error as Error)?.message ?? error}); a reload loses them`))
      return undefined
    }))

  /** Runs one request in its own transaction; resolves once the transaction has committed. */
  async function run<T>(mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
    const db = await database()
    if (!db) return undefined
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode)
      const request = make(transaction.objectStore(STORE))
      transaction.oncomplete = () => resolve(request.result)
      transaction.onerror = () => reject(transaction.error ?? request.error)
      transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'))
    })
  }

  const failed = (what: string) => (error: unknown) => {
    reportError(new ChatError('internal', `${what}: ${(error as Error)?.message ?? error}`))
    return undefined
  }

  return {
    durable: true,
    async put(key, file) {
      await memory.put(key, file)
      await run('readwrite', (store) => store.put(file, key)).catch(failed('Could not keep a file for sending after a reload'))
    },
    async get(key) {
      return (await memory.get(key)) ?? ((await run('readonly', (store) => store.get(key)).catch(failed('Could not read a kept file'))) as Blob | undefined)
    },
    async delete(key) {
      await memory.delete(key)
      await run('readwrite', (store) => store.delete(key)).catch(failed('Could not forget a sent file'))
    },
  }
}
