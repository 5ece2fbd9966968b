// DOM helpers of the agent console. Text goes in through textContent only.
import type { ChatClient, ChatMessage } from '../src'

const TICKS: Record<ChatMessage['status'], string> = { pending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠ failed' }

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

export function renderMessages(list: HTMLElement, messages: readonly ChatMessage[]): void {
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40
  list.replaceChildren(
    ...messages.map((m) => {
      const li = document.createElement('li')
      li.className = `${m.own ? 'own' : ''} ${m.status}`
      li.textContent = m.deleted ? 'message deleted' : m.text
      if (m.own) {
        const tick = document.createElement('small')
        tick.textContent = TICKS[m.status] + (m.editedAt ? ' edited' : '')
        tick.title = m.status
        li.append(tick)
      }
      return li
    }),
  )
  if (nearBottom) list.scrollTop = list.scrollHeight
}

export function bindCommon(client: ChatClient): void {
  client.status.subscribe((status) => {
    byId('status').textContent = status
    byId('dot').className = `dot ${status}`
  })
  client.typing.subscribe((typists) => {
    byId('typing').textContent = typists.length ? `${typists.map((t) => t.name ?? t.role).join(', ')} is typing…` : ''
  })
  const input = byId<HTMLInputElement>('text')
  input.addEventListener('input', () => client.setTyping(input.value !== ''))
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    if (!input.value.trim()) return
    client.send(input.value)
    input.value = ''
  })
}
