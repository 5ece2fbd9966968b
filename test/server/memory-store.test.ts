import { createMemoryStore } from '../../src/server/memory-store'
import { describeStoreContract } from './store-contract'

describeStoreContract('MemoryStore', {
  create: async () => createMemoryStore(),
  // One process has one memory store: a second "node" can only be the same object.
  another: async (store) => store,
})
