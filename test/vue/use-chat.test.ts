// @vitest-environment happy-dom
// `useChat` from `obrolan/vue` in Vue itself (@vue/test-utils, in happy-dom), on a real client
// talking to the real server over a real socket; an agent on another client answers.
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, ref, type PropType } from 'vue'
import { describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import { useChat } from '../../src/vue'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'

const Chat = defineComponent({
  props: { client: { type: Object as PropType<ChatClient>, required: true } },
  setup(props) {
    const { status, messages, typing, unread, send } = useChat(props.client)
    const draft = ref('')
    return { status, messages, typing, unread, draft, submit: () => send(draft.value) }
  },
  template: `
    <section>
      <p data-test="status">{{ status }}</p>
      <p data-test="unread">{{ unread }}</p>
      <p data-test="typing">{{ typing.map((author) => author.name).join(', ') }}</p>
      <ol><li v-for="message in messages" :key="message.clientId" :data-status="message.status">{{ message.text }}</li></ol>
      <input v-model="draft" aria-label="message" />
      <button @click="submit">Send</button>
    </section>`,
})

describe('useChat (Vue)', () => {
  it('shows the connection, the conversation both ways and typing, and sends through the composable', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url, autoConnect: false })
    const wrapper = mount(Chat, { props: { client: visitor } })
    expect(wrapper.get('[data-test=status]').text()).toBe('disconnected')

    visitor.connect()
    await eventually(async () => {
      await flushPromises()
      expect(wrapper.get('[data-test=status]').text()).toBe('connected')
    })

    await wrapper.get('input').setValue('Halo from Vue')
    await wrapper.get('button').trigger('click')
    expect(wrapper.findAll('li').map((item) => item.text())).toEqual(['Halo from Vue'])
    await eventually(async () => {
      await flushPromises()
      expect(wrapper.get('li').attributes('data-status')).toBe('sent')
    })

    const agent = startAgent({ url: server.url })
    await connected(agent)
    await agent.openConversation(visitor.conversation.get()!.roomId)
    agent.setTyping(true)
    await eventually(async () => {
      await flushPromises()
      expect(wrapper.get('[data-test=typing]').text()).toBe('Agent')
    })
    agent.send('Halo, ada yang bisa dibantu?')
    await eventually(async () => {
      await flushPromises()
      expect(wrapper.findAll('li').map((item) => item.text())).toEqual(['Halo from Vue', 'Halo, ada yang bisa dibantu?'])
    })
    expect(wrapper.get('[data-test=unread]').text()).toBe('1')
    wrapper.unmount()
  })

  it('stops listening to the stores when the component unmounts', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url })
    const wrapper = mount(Chat, { props: { client: visitor } })
    expect(visitor.messages.lc).toBe(1)
    expect(visitor.status.lc).toBe(1)
    wrapper.unmount()
    expect(visitor.messages.lc).toBe(0)
    expect(visitor.status.lc).toBe(0)
  })
})
