/**
 * The files `obrolan start` serves beside the chat: the agent inbox at /inbox (a single-page
 * app: unknown paths under it get its index.html), the widget's script files at /widget/ (the
 * loader and the chat file it fetches from the same folder), and a small front page. Files are
 * read once at start, with their ETag and a gzipped copy, so serving them touches no disk.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Exchange } from './exchange'
import { fail } from './exchange'
import type { Route } from './router'

export interface StaticFilesOptions {
  /** The built inbox (dist/inbox), served at /inbox. */
  inbox?: string
  /** The folder holding obrolan.iife.js and obrolan.chat.js, served at /widget/. */
  widget?: string
}

interface StaticFile {
  body: Buffer
  gzipped: Buffer | undefined
  type: string
  etag: string
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
}

/** The inbox runs only our own scripts and styles, talks only to this server, and is never framed. */
const INBOX_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
const WIDGET_FILES = ['obrolan.iife.js', 'obrolan.chat.js']

export function staticRoutes(options: StaticFilesOptions): Route[] {
  const routes: Route[] = [frontPage(options)]
  if (options.widget) {
    const files = new Map(WIDGET_FILES.map((name) => [name, load(join(options.widget!, name))]))
    routes.push({
      methods: ['GET'],
      pattern: /^\/widget\/([^/]+)$/,
      handle(ex) {
        const file = files.get(ex.params[0] ?? '')
        if (!file) return fail(ex, 404, 'Not found', `No widget file ${ex.params[0]}`)
        // Short for the unversioned names, so an upgrade reaches pages within minutes; a site that
        // adds ?v=… to the loader's src gets that query on the chat file too.
        serve(ex, file, { 'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400', 'Access-Control-Allow-Origin': '*' })
      },
    })
  }
  if (options.inbox) {
    const root = options.inbox
    const files = new Map(listFiles(root).map((path) => [`/${relative(root, path).split(sep).join('/')}`, load(path)]))
    const index = files.get('/index.html')
    if (!index) throw new Error(`The inbox folder ${root} has no index.html; run npm run build`)
    routes.push({
      methods: ['GET'],
      pattern: /^\/inbox(\/.*)?$/,
      handle(ex) {
        if (ex.path === '/inbox') return redirect(ex, '/inbox/')
        const path = ex.params[0] ?? '/'
        const asset = files.get(path)
        const security = { 'Content-Security-Policy': INBOX_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' }
        // Built assets have content hashes in their names: cached for good.
        if (asset && path.startsWith('/assets/')) return serve(ex, asset, { ...security, 'Cache-Control': 'public, max-age=31536000, immutable' })
        if (asset && path !== '/index.html') return serve(ex, asset, { ...security, 'Cache-Control': 'public, max-age=300' })
        serve(ex, index, { ...security, 'Cache-Control': 'no-cache' })
      },
    })
  }
  return routes
}

/** `/`: where things are, for someone who opens the server's address in a browser. */
function frontPage(options: StaticFilesOptions): Route {
  const links = [
    ...(options.inbox ? ['<li><a href="/inbox/">Agent inbox</a></li>'] : []),
    ...(options.widget ? ['<li><a href="/widget/obrolan.iife.js">Widget loader</a> (for the snippet)</li>'] : []),
    '<li><a href="/health">Health</a></li>',
  ]
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Obrolan</title><h1>Obrolan chat server</h1><ul>${links.join('')}</ul></html>\n`
  const page = fileOf(Buffer.from(html), 'text/html; charset=utf-8')
  const icon = fileOf(Buffer.alloc(0), 'image/x-icon')
  return {
    methods: ['GET'],
    pattern: /^\/(|favicon\.ico)$/,
    handle(ex) {
      if (ex.path === '/favicon.ico') return serve(ex, icon, { 'Cache-Control': 'public, max-age=86400' })
      serve(ex, page, { 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'", 'Cache-Control': 'no-cache' })
    },
  }
}

function serve(ex: Exchange, file: StaticFile, headers: Record<string, string>): void {
  const { req, res } = ex
  res.setHeader('Content-Type', file.type)
  res.setHeader('ETag', file.etag)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Vary', 'Accept-Encoding')
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  if (req.headers['if-none-match'] === file.etag) {
    res.statusCode = 304
    res.end()
    return
  }
  const gzip = file.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
  const body = gzip ? file.gzipped! : file.body
  if (gzip) res.setHeader('Content-Encoding', 'gzip')
  res.setHeader('Content-Length', body.length)
  res.statusCode = 200
  res.end(ex.method === 'HEAD' ? undefined : body)
}

function redirect(ex: Exchange, location: string): void {
  ex.res.statusCode = 308
  ex.res.setHeader('Location', location)
  ex.res.end()
}

function load(path: string): StaticFile {
  return fileOf(readFileSync(path), TYPES[extname(path)] ?? 'application/octet-stream')
}

function fileOf(body: Buffer, type: string): StaticFile {
  const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(type) && body.length > 512
  return {
    body,
    gzipped: compressible ? gzipSync(body, { level: 9 }) : undefined,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name.endsWith('.map')) return []
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}
