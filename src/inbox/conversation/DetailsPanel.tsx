/**
 * Beside the conversation: what is known about the visitor (`visitor-facts.ts`), the visitor's
 * local time kept current. On a narrow screen the panel is behind the header's "Visitor details"
 * button and opens over the conversation.
 */
import { useStore } from '@nanostores/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Conversation } from '../../index'
import { useChat, useInbox } from '../context'
import { visitorFacts, type PageFact } from './visitor-facts'

function PageLink({ page, time }: { page: PageFact; time: string }) {
  return (
    <>
      {page.href ? (
        <a href={page.href} target="_blank" rel="noopener noreferrer">
          {page.text}
        </a>
      ) : (
        <span>{page.text}</span>
      )}
      <span class="page-meta">
        {page.text !== page.url && <span class="page-url">{page.url}</span>} <time dateTime={new Date(page.at).toISOString()}>{time}</time>
      </span>
    </>
  )
}

export function DetailsPanel({ conversation, open, onClose }: { conversation: Conversation; open: boolean; onClose: () => void }) {
  const { strings, format, now, locale, win } = useInbox()
  const { client } = useChat()
  const me = useStore(client.user)
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (open) closeRef.current?.focus()
  }, [open])
  // The visitor's local time moves on while the panel is open.
  const [, tick] = useState(0)
  useEffect(() => {
    const timer = win.setInterval(() => tick((n) => n + 1), 30_000)
    return () => win.clearInterval(timer)
  }, [win])
  const facts = visitorFacts(conversation, me?.id, strings, format, locale, now())
  return (
    <aside
      id="visitor-details"
      class="details"
      data-open={open ? '' : undefined}
      aria-labelledby="details-title"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return
        // Esc closes the panel first; the page's Esc ("back") waits for the next one.
        event.preventDefault()
        onClose()
      }}
    >
      <div class="details-head">
        <h2 id="details-title">{strings.details}</h2>
        <button type="button" class="ghost details-close" ref={closeRef} onClick={onClose}>
          {strings.close}
        </button>
      </div>
      <dl>
        {facts.map((fact) => (
          <div key={fact.term}>
            <dt>{fact.term}</dt>
            <dd>
              {fact.kind === 'text' && fact.value}
              {fact.kind === 'page' && <PageLink page={fact.page} time={format.time(fact.page.at)} />}
              {fact.kind === 'pages' && (
                <ol class="pages">
                  {fact.pages.map((page, i) => (
                    <li key={i}>
                      <PageLink page={page} time={format.time(page.at)} />
                    </li>
                  ))}
                </ol>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {!conversation.context && <p class="hint">{strings.noContext}</p>}
    </aside>
  )
}
