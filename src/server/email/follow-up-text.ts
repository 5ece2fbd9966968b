/**
 * The follow-up e-mail's words: plain text only (nothing from a message is ever interpreted as
 * markup), in English or Indonesian after the visitor's browser, with the conversation's recent
 * messages and the link back to the page the visitor was on.
 */
import type { WireMessage } from '../../protocol'

export interface FollowUpMail {
  subject: string
  text: string
}

export interface FollowUpInput {
  siteName: string
  /** BCP 47 tag from the visitor's browser; `id…` gets Indonesian, anything else English. */
  locale: string | undefined
  visitorName: string | undefined
  /** Oldest first; the agent's new replies among them. */
  recent: readonly WireMessage[]
  link: string | undefined
  /** Whether an answer by e-mail reaches the team (a reply-to address is set). */
  replyByEmail: boolean
}

const WORDS = {
  en: {
    subject: (site: string) => `New reply from ${site}`,
    hello: (name: string | undefined) => (name ? `Hello ${name},` : 'Hello,'),
    intro: (site: string) => `You have a new reply in your conversation with ${site}:`,
    you: 'You',
    agent: 'Agent',
    deleted: '(deleted)',
    link: 'Continue the conversation:',
    answer: (email: boolean) => (email ? 'You can also answer this e-mail.' : 'Please answer in the chat; answers to this e-mail are not read.'),
    why: 'You get this e-mail because you left your address in the chat.',
  },
  id: {
    subject: (site: string) => `Balasan baru dari ${site}`,
    hello: (name: string | undefined) => (name ? `Halo ${name},` : 'Halo,'),
    intro: (site: string) => `Ada balasan baru dalam obrolan Anda dengan ${site}:`,
    you: 'Anda',
    agent: 'Agen',
    deleted: '(dihapus)',
    link: 'Lanjutkan obrolan:',
    answer: (email: boolean) => (email ? 'Anda juga dapat membalas e-mail ini.' : 'Silakan membalas di obrolan; balasan untuk e-mail ini tidak dibaca.'),
    why: 'Anda menerima e-mail ini karena meninggalkan alamat Anda di obrolan.',
  },
}

export function followUpMail({ siteName, locale, visitorName, recent, link, replyByEmail }: FollowUpInput): FollowUpMail {
  const words = /^id\b/i.test(locale ?? '') ? WORDS.id : WORDS.en
  const lines = recent.map((message) => {
    const who = message.author.role === 'visitor' ? words.you : (message.author.name ?? words.agent)
    const text = message.deleted ? words.deleted : message.text.replace(/\r?\n/g, '\n  ')
    return `${who}: ${text}`
  })
  const text = [
    words.hello(visitorName),
    '',
    words.intro(siteName),
    '',
    ...lines,
    '',
    ...(link ? [words.link, link, ''] : []),
    words.answer(replyByEmail),
    '',
    '--',
    words.why,
    '',
  ].join('\n')
  return { subject: words.subject(siteName), text }
}
