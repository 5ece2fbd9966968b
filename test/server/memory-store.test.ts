import { createMemoryStore, MemoryStore } from '../../src/server/memory-store'
import { describeStoreContract } from './store-contract'

describeStoreContract('MemoryStore', {
  create: async (options) => (options ? new MemoryStore(options) : createMemoryStore()),
  // One process has one memory store: a second "node" can only be the same object.
  another: async (store) => store,
})
