// Starts the reference chat server with agent accounts and the Vite dev server for the demo shop,
// both on one origin (as `obrolan start` serves a site): the shop at http://localhost:5173/, the
// agent inbox at http://localhost:5173/inbox/. The demo makes one agent account, with a password
// of its own each run, and prints how to sign in.
import { randomBytes } from 'node:crypto'
import { createServer as createViteServer } from 'vite'
import { createChatServer } from '../dist/server.js'

const chatPort = Number(process.env.CHAT_PORT ?? 3001)
const webPort = Number(process.env.PORT ?? 5173)
const site = `http://localhost:${webPort}`
const dist = new URL('../dist/', import.meta.url).pathname

// REDIS_URL=redis://127.0.0.1:6379 runs the demo's server on Redis, as several nodes would.
const chat = await createChatServer({
  port: chatPort,
  host: '127.0.0.1',
  publicUrl: site,
  accounts: true,
  files: { inbox: `${dist}inbox` },
  ...(process.env.REDIS_URL ? { redis: process.env.REDIS_URL, secret: randomBytes(32).toString('hex') } : {}),
})

// The demo agent: the owner account, made through the setup link the server printed, as the
// inbox's setup page would make it.
const email = 'demo@example.com'
const password = randomBytes(9).toString('base64url')
const setup = await fetch(`${chat.url}/api/auth/setup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: site },
  body: JSON.stringify({ token: new URL(chat.setupUrl).hash.replace('#token=', ''), name: 'Demo Agent', email, password }),
})
if (!setup.ok) throw new Error(`the demo agent could not be created: ${setup.status} ${await setup.text()}`)

const vite = await createViteServer({
  configFile: false,
  root: new URL('.', import.meta.url).pathname,
  // The shop loads the built script tag file, exactly as a site would.
  publicDir: dist,
  server: {
    port: webPort,
    strictPort: true,
    // One origin for the shop, the chat and the inbox, as a site behind one proxy would have.
    proxy: { '/socket.io': { target: chat.url, ws: true }, '/api': chat.url, '/health': chat.url, '/inbox': chat.url },
  },
})
await vite.listen()
console.log(`shop (visitor)  ${site}/`)
console.log(`agent inbox     ${site}/inbox/   sign in as ${email} with the password ${password}`)
console.log(`chat server     ${chat.url}`)

const stop = async () => {
  await vite.close()
  await chat.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
