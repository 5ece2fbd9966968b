/** @jsxImportSource react */
// @vitest-environment happy-dom
// `useChat` from `obrolan/react` in React itself (react-dom through @testing-library/react, in
// happy-dom), on a real client talking to the real server over a real socket; an agent on
// another client answers.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useRef, type ReactElement } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import { useChat } from '../../src/react'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'

afterEach(cleanup)

function Chat({ client, onRender }: { client: ChatClient; onRender?: (chat: ReturnType<typeof useChat>) => void }): ReactElement {
  const chat = useChat(client)
  onRender?.(chat)
  const input = useRef<HTMLInputElement>(null)
  return (
    <section>
      <p data-testid="status">{chat.status}</p>
      <p data-testid="unread">{chat.unread}</p>
      <p data-testid="typing">{chat.typing.map((author) => author.name).join(', ')}</p>
      <ol>
        {chat.messages.map((message) => (
          <li key={message.clientId} data-status={message.status}>
            {message.text}
          </li>
        ))}
      </ol>
      <input ref={input} aria-label="message" />
      <button onClick={() => chat.send(input.current!.value)}>Send</button>
    </section>
  )
}

describe('useChat (React)', () => {
  it('shows the connection, the conversation both ways and typing, and sends through the hook', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url, autoConnect: false })
    render(<Chat client={visitor} />)
    expect(screen.getByTestId('status').textContent).toBe('disconnected')

    act(() => visitor.connect())
    await eventually(() => expect(screen.getByTestId('status').textContent).toBe('connected'))

    fireEvent.change(screen.getByLabelText('message'), { target: { value: 'Halo from React' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    // Optimistic: on screen before the server has answered.
    expect(screen.getByRole('listitem').textContent).toBe('Halo from React')
    await eventually(() => expect(screen.getByRole('listitem').dataset.status).toBe('sent'))

    const agent = startAgent({ url: server.url })
    await connected(agent)
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    agent.setTyping(true)
    await eventually(() => expect(screen.getByTestId('typing').textContent).toBe('Agent'))
    agent.send('Halo, ada yang bisa dibantu?')
    await eventually(() =>
      expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Halo from React', 'Halo, ada yang bisa dibantu?']),
    )
    expect(screen.getByTestId('unread').textContent).toBe('1')
  })

  it('hands out the same functions on every render, and they act on the client', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url })
    const seen: ReturnType<typeof useChat>[] = []
    render(<Chat client={visitor} onRender={(chat) => seen.push(chat)} />)
    await eventually(() => expect(seen.at(-1)!.status).toBe('connected'))
    expect(seen.length).toBeGreaterThan(1)
    expect(new Set(seen.map((chat) => chat.send)).size).toBe(1)
    expect(new Set(seen.map((chat) => chat.markRead)).size).toBe(1)
    expect(seen.at(-1)!.client).toBe(visitor)

    act(() => void seen.at(-1)!.send('sent through the returned function'))
    await eventually(() => expect(visitor.messages.get().map((m) => [m.text, m.status])).toEqual([['sent through the returned function', 'sent']]))
  })

  it('stops listening to the stores when the component unmounts', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url })
    const { unmount } = render(<Chat client={visitor} />)
    expect(visitor.messages.lc).toBe(1)
    expect(visitor.status.lc).toBe(1)
    unmount()
    expect(visitor.messages.lc).toBe(0)
    expect(visitor.status.lc).toBe(0)
  })
})
