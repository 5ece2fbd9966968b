// The demo's agent console: every conversation, with unread counts and presence, on the core client.
import { createChatClient } from '../src'
import { bindCommon, byId, renderMessages } from './render'

declare const __AGENT_TOKEN__: string

// The demo proxies the chat server on its own origin; `?server=` points the console elsewhere.
const server = new URLSearchParams(location.search).get('server') ?? location.origin
const client = createChatClient({ url: server, role: 'agent', token: __AGENT_TOKEN__, storageKey: 'obrolan-agent' })
bindCommon(client)
const statusSelect = byId<HTMLSelectElement>('conversation-status')
let open: string | undefined

client.conversations.subscribe((conversations) => {
  byId('conversations').replaceChildren(
    ...conversations.map((c) => {
      const li = document.createElement('li')
      const button = document.createElement('button')
      button.setAttribute('aria-current', String(c.roomId === open))
      const who = c.visitor.name ?? 'Visitor'
      const online = document.createElement('span')
      online.className = `dot ${c.presence.visitorConnected ? 'connected' : 'away'}`
      online.setAttribute('aria-label', c.presence.visitorConnected ? 'online' : 'away')
      button.append(online, ` ${who} · ${c.status} · ${c.lastMessage?.deleted ? '(deleted)' : c.lastMessage?.text ?? '(no messages)'}`)
      if (c.unread.agent > 0 && c.roomId !== open) {
        const badge = document.createElement('span')
        badge.className = 'unread'
        badge.textContent = String(c.unread.agent)
        badge.setAttribute('aria-label', `${c.unread.agent} unread`)
        button.prepend(badge)
      }
      button.addEventListener('click', () => {
        open = c.roomId
        byId('title').textContent = who
        void client.openConversation(c.roomId).then(() => client.markRead())
      })
      li.append(button)
      return li
    }),
  )
})
client.conversation.subscribe((conversation) => {
  statusSelect.disabled = !conversation
  if (conversation) statusSelect.value = conversation.status
})
// A conversation the server no longer has (it restarted without its data) is closed here.
client.conversationLost.subscribe((loss) => {
  if (!loss || loss.roomId !== open) return
  if (loss.reason === 'not_found') open = undefined
  byId('title').textContent = loss.reason === 'not_found' ? 'Conversation no longer exists' : 'Conversation started over'
})
client.presence.subscribe((presence) => {
  byId('presence').textContent = presence ? (presence.visitorConnected ? ' · visitor online' : ' · visitor away') : ''
})
statusSelect.addEventListener('change', () => {
  void client.setConversationStatus(statusSelect.value as 'open' | 'pending' | 'closed')
})
client.messages.subscribe((messages) => {
  renderMessages(byId('messages'), messages)
  if (open && document.visibilityState === 'visible') client.markRead()
})
