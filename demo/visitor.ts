import { createChatClient } from '../src'
import { bindCommon, byId, renderMessages } from './render'

const client = createChatClient({ url: location.origin, name: 'Website visitor' })
bindCommon(client)
client.messages.subscribe((messages) => {
  renderMessages(byId('messages'), messages)
  if (document.visibilityState === 'visible') client.markRead()
})
client.presence.subscribe((presence) => {
  byId('presence').textContent = presence?.agentConnected ? '· an agent is here' : ''
})
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && client.markRead())
