import { rmSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'

// Start from an empty dist/ here rather than with a config's `clean`: the configs build side by
// side, and one config's clean would delete what a faster one had already written.
rmSync('dist', { recursive: true, force: true })

/**
 * Browser builds that carry their dependencies inside: the script tag and UMD users have no
 * bundler. They ship without source maps: a map of a file with Preact, engine.io-client and
 * valibot inside is several times the file's size, and the ESM entries (with maps) are the
 * readable build of the same code.
 */
const standalone: Options = {
  format: ['iife'],
  platform: 'browser',
  target: 'es2019',
  minify: true,
  noExternal: [/.*/],
  outExtension: () => ({ js: '.js' }),
  define: { 'process.env.NODE_ENV': '"production"' },
}

/** The ES-module entries for bundlers (`obrolan`, `obrolan/widget`, …), by output name. */
const browserEntries = {
  index: 'src/index.ts',
  widget: 'src/widget/index.ts',
  element: 'src/element/index.ts',
  react: 'src/react/index.ts',
  vue: 'src/vue/index.ts',
}

/** `obrolan/server/redis` is its own entry: its types name ioredis', the main entry's do not. */
const serverEntries = { server: 'src/server/index.ts', 'server-redis': 'src/server/redis-entry.ts' }

export default defineConfig([
  {
    // Bundler entries: dependencies and the frameworks stay external so the user's bundler dedupes
    // them, and nothing from Node or the page is touched at import time (`obrolan/element`
    // registers its tag only where `customElements` exists).
    entry: browserEntries,
    format: ['esm'],
    // One declaration build for every ESM-side entry (a TypeScript program each costs seconds):
    // these, the server's, and the script files' (`window.Obrolan` for the loader, nothing for
    // the chat file).
    dts: {
      entry: {
        ...browserEntries,
        ...serverEntries,
        'obrolan.iife': 'src/embed/obrolan-global.ts',
        'obrolan.chat': 'src/embed/chat.ts',
      },
    },
    sourcemap: true,
    target: 'es2020',
    platform: 'browser',
    splitting: true,
    treeshake: true,
  },
  {
    // The server entries and the `obrolan` command (dist/cli.js, run by bin/obrolan.js), built
    // together so that the command shares the server's code in chunks instead of a copy of it.
    // The command sits in dist/ beside the inbox and the widget files it serves.
    entry: { ...serverEntries, cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
  },
  {
    ...standalone,
    // The script tag: a small loader, and the chat it fetches from the same folder when needed.
    entry: { 'obrolan.iife': 'src/embed/index.ts', 'obrolan.chat': 'src/embed/chat.ts' },
  },
  {
    ...standalone,
    entry: { 'obrolan.umd': 'src/umd.ts' },
    globalName: 'ObrolanSDK',
    // `.cjs`: the package is "type": "module", and Node would load a `.js` file as ESM, where the
    // UMD wrapper finds no `module` and exports nothing.
    outExtension: () => ({ js: '.cjs' }),
    // The IIFE assigns `var ObrolanSDK`; hand the same object to CommonJS and AMD loaders too.
    footer: {
      js: 'if(typeof module=="object"&&module.exports)module.exports=ObrolanSDK;else if(typeof define=="function"&&define.amd)define([],function(){return ObrolanSDK});',
    },
  },
  {
    // The UMD file's types, for `require()` and for pages that use the `ObrolanSDK` global; its
    // imports are then marked as ESM imports by scripts/finish-umd.mjs (see there why).
    entry: { 'obrolan.umd': 'src/umd.ts' },
    format: ['cjs'],
    dts: { only: true, footer: 'export as namespace ObrolanSDK;' },
  },
])
