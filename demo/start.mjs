// Starts the reference chat server and the Vite dev server for the demo pages.
// Visitor page: http://localhost:5173/   Agent console: http://localhost:5173/agent.html
import { createServer as createViteServer } from 'vite'
import { createChatServer } from '../dist/server.js'

const chatPort = Number(process.env.CHAT_PORT ?? 3001)
const webPort = Number(process.env.PORT ?? 5173)
const agentToken = process.env.AGENT_TOKEN ?? 'demo-agent'

// REDIS_URL=redis://127.0.0.1:6379 runs the demo's server on Redis, as several nodes would.
const chat = await createChatServer({ port: chatPort, host: '127.0.0.1', agentToken, ...(process.env.REDIS_URL ? { redis: process.env.REDIS_URL } : {}) })
const vite = await createViteServer({
  configFile: false,
  root: new URL('.', import.meta.url).pathname,
  // The visitor page loads the built script tag file, exactly as a site would.
  publicDir: new URL('../dist', import.meta.url).pathname,
  server: {
    port: webPort,
    strictPort: true,
    // The pages talk to the chat server through Vite's origin, as a site behind one proxy would.
    proxy: { '/socket.io': { target: chat.url, ws: true }, '/api': chat.url, '/health': chat.url },
  },
  define: { __AGENT_TOKEN__: JSON.stringify(agentToken) },
})
await vite.listen()
console.log(`chat server  ${chat.url}`)
console.log(`visitor page http://localhost:${webPort}/`)
console.log(`agent page   http://localhost:${webPort}/agent.html`)

const stop = async () => {
  await vite.close()
  await chat.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
