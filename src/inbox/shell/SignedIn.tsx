/**
 * Everything behind sign-in: one core client for the agent (made here, destroyed on sign-out),
 * the notifier, the team (for assignment) and its canned replies, the top bar with the connection
 * state, settings and sign-out, an alert line for anything that went wrong, and the page the URL
 * names.
 */
import { useStore } from '@nanostores/preact'
import type { ComponentType } from 'preact'
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Agent } from '../api/auth-api'
import { createCannedStore } from '../canned/canned-store'
import { ChatContext, useInbox, type ChatEnv } from '../context'
import { errorText } from '../error-text'
import { fill } from '../i18n'
import { startNotifier } from '../notifications/notifier'
import { visitorName } from '../state/conversation-list'
import type { Route } from '../state/route'
import { describeFailure } from '../auth/failure'
import { ConnectionState } from './ConnectionState'
import { InboxPage } from './InboxPage'
import { Settings } from './Settings'

/** A page opened now and then (agents, integrations, canned replies), fetched the first time it is opened. */
function LazyPage({ load }: { load: () => Promise<ComponentType> }) {
  const { strings } = useInbox()
  const [Page, setPage] = useState<ComponentType | undefined>(undefined)
  const [failed, setFailed] = useState('')
  useEffect(() => {
    load().then(
      (page) => setPage(() => page),
      (error: unknown) => setFailed(errorText(error)),
    )
  }, [load])
  if (failed) return <p class="form-error" role="alert">{fill(strings.errorPrefix, { message: failed })}</p>
  return Page ? <Page /> : <p>{strings.loading}</p>
}

const agentsPage = () => import('../agents/AgentsPage').then((module) => module.AgentsPage)
const integrationsPage = () => import('../integrations/IntegrationsPage').then((module) => module.IntegrationsPage)
const cannedRepliesPage = () => import('../canned/CannedRepliesPage').then((module) => module.CannedRepliesPage)

export function SignedIn({ agent, route }: { agent: Agent; route: Route }) {
  const env = useInbox()
  const { strings, session, router, makeClient, preferences, win, api } = env
  const client = useMemo(() => makeClient(agent), [makeClient, agent.id])
  const canned = useMemo(() => createCannedStore(api), [api, agent.id])
  const [team, setTeam] = useState<Agent[] | undefined>(undefined)
  const [alert, setAlert] = useState('')
  const report = useCallback((error: unknown) => setAlert(fill(strings.errorPrefix, { message: errorText(error) })), [strings])

  useEffect(() => () => client.destroy(), [client])
  useEffect(() => client.on('error', report), [client, report])
  useEffect(() => {
    // Without the list (a server without accounts) the agent can still take or drop a conversation.
    void api.agents().then((result) => result.ok && setTeam(result.data.agents))
  }, [api, agent.id])

  // The notifier reads the strings and the route through refs to them: it lives as long as the client.
  const refs = useRef({ strings, route })
  refs.current = { strings, route }
  useEffect(
    () =>
      startNotifier({
        conversations: client.conversations,
        status: client.status,
        preferences: preferences.$preferences,
        strings: () => refs.current.strings,
        watching: (roomId) => {
          const at = refs.current.route
          return at.screen === 'inbox' && at.roomId === roomId && win.document.visibilityState === 'visible' && win.document.hasFocus()
        },
        looking: () => win.document.visibilityState === 'visible' && win.document.hasFocus(),
        chime: env.chime,
        desktop: env.desktop,
        setTitle: (title) => void (win.document.title = title),
        open: (roomId) => router.navigate({ screen: 'inbox', roomId }),
        nameOf: (conversation) => visitorName(conversation.visitor, refs.current.strings),
      }),
    [client],
  )

  const chat: ChatEnv = useMemo(() => ({ client, agent, team, canned, report }), [client, agent, team, canned, report])
  const signOut = async () => {
    const outcome = await session.signOut()
    if (!outcome.ok) setAlert(describeFailure(strings, outcome.failure))
  }
  const me = useStore(client.user)

  return (
    <ChatContext.Provider value={chat}>
      <div class="app">
        <header class="topbar">
          <h1 class="brand">{strings.appName}</h1>
          <ConnectionState />
          <nav class="topnav" aria-label={strings.mainNavigation}>
            {route.screen !== 'inbox' ? (
              <button type="button" class="ghost" onClick={() => router.navigate({ screen: 'inbox' })}>
                {strings.backToInbox}
              </button>
            ) : (
              <button type="button" class="ghost" onClick={() => router.navigate({ screen: 'agents' })}>
                {strings.agents}
              </button>
            )}
            <Settings />
            <span class="me" title={agent.email}>
              {me?.name ?? agent.name}
            </span>
            <button type="button" class="ghost" onClick={() => void signOut()}>
              {strings.signOut}
            </button>
          </nav>
        </header>
        <div class="alert-line" role="alert">
          {alert && (
            <>
              <span>{alert}</span>
              <button type="button" class="link-btn" onClick={() => setAlert('')}>
                {strings.dismiss}
              </button>
            </>
          )}
        </div>
        <main class="main">
          {route.screen === 'agents' ? (
            <LazyPage key="agents" load={agentsPage} />
          ) : route.screen === 'replies' ? (
            <LazyPage key="replies" load={cannedRepliesPage} />
          ) : route.screen === 'integrations' ? (
            <LazyPage key="integrations" load={integrationsPage} />
          ) : (
            <InboxPage roomId={route.screen === 'inbox' ? route.roomId : undefined} />
          )}
        </main>
      </div>
    </ChatContext.Provider>
  )
}
