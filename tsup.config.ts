import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // Browser-safe entries: nothing from Node, nothing touched at import time.
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
    treeshake: true,
  },
  {
    entry: { server: 'src/server/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
])
