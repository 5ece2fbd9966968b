import { createChatClient } from '../src'
import { bindCommon, byId, renderMessages } from './render'

declare const __AGENT_TOKEN__: string

const client = createChatClient({ url: location.origin, role: 'agent', token: __AGENT_TOKEN__, storageKey: 'obrolan-agent' })
bindCommon(client)
let open: string | undefined

client.conversations.subscribe((conversations) => {
  byId('conversations').replaceChildren(
    ...conversations.map((c) => {
      const li = document.createElement('li')
      const button = document.createElement('button')
      button.setAttribute('aria-current', String(c.roomId === open))
      button.textContent = `${c.presence.customerConnected ? '🟢' : '⚪'} ${c.visitor.name ?? 'Visitor'} · ${c.lastMessage?.text ?? '(no messages)'}`
      if (c.unread.agent > 0 && c.roomId !== open) {
        const badge = document.createElement('span')
        badge.className = 'unread'
        badge.textContent = String(c.unread.agent)
        button.prepend(badge)
      }
      button.addEventListener('click', () => {
        open = c.roomId
        byId('title').textContent = `${c.visitor.name ?? 'Visitor'} (${c.status})`
        void client.openConversation(c.roomId).then(() => client.markRead())
      })
      li.append(button)
      return li
    }),
  )
})
client.messages.subscribe((messages) => {
  renderMessages(byId('messages'), messages)
  if (open && document.visibilityState === 'visible') client.markRead()
})
