import { defineConfig, type Options } from 'tsup'

/** Browser builds that carry their dependencies inside: the script tag and UMD users have no bundler. */
const standalone: Options = {
  format: ['iife'],
  platform: 'browser',
  target: 'es2019',
  minify: true,
  sourcemap: true,
  noExternal: [/.*/],
  outExtension: () => ({ js: '.js' }),
  define: { 'process.env.NODE_ENV': '"production"' },
}

export default defineConfig([
  {
    // Bundler entries: dependencies stay external so the user's bundler dedupes them, and
    // nothing from Node or the page is touched at import time.
    entry: { index: 'src/index.ts', widget: 'src/widget/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
    splitting: true,
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
  {
    // The `obrolan` command. It sits in dist/ beside the inbox and the widget files it serves.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
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
    // The IIFE assigns `var ObrolanSDK`; hand the same object to CommonJS and AMD loaders too.
    footer: {
      js: 'if(typeof module=="object"&&module.exports)module.exports=ObrolanSDK;else if(typeof define=="function"&&define.amd)define([],function(){return ObrolanSDK});',
    },
  },
])
