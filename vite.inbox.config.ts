// The agent inbox (src/inbox) as a static app in dist/inbox/, served by the chat server at /inbox.
// Run after tsup (which empties dist/): `npm run build` does both.
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'src/inbox',
  // Absolute, so /inbox/setup and /inbox/invite (the same index.html) find the assets too.
  base: '/inbox/',
  // The app's own files only; nothing from the repository's root public folder.
  publicDir: false,
  build: {
    outDir: '../../dist/inbox',
    emptyOutDir: true,
    target: 'es2020',
    // The polyfill would be code in the page for browsers the inbox does not support anyway.
    modulePreload: { polyfill: false },
    // No maps in the package: they would carry the sources of every dependency, and the server does
    // not serve them anyway.
    sourcemap: false,
    reportCompressedSize: false,
  },
})
