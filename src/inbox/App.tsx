/**
 * The inbox's root: the language and appearance on `<html>`, then the screen the session and the
 * URL call for — setup and invite links first (they work signed in or not), then sign-in, then the
 * signed-in inbox.
 */
import { useStore } from '@nanostores/preact'
import { useEffect, useMemo } from 'preact/hooks'
import { AccountScreen } from './auth/AccountScreen'
import { SignInScreen } from './auth/SignInScreen'
import { InboxContext, type InboxEnv } from './context'
import { createFormatters } from './format'
import { LOCALES, pickInboxLocale } from './i18n'
import { SignedIn } from './shell/SignedIn'

export type InboxServices = Omit<InboxEnv, 'strings' | 'locale' | 'format'>

export function App({ services }: { services: InboxServices }) {
  const { session, router, preferences, win } = services
  const current = useStore(session.$session)
  const route = useStore(router.$route)
  const prefs = useStore(preferences.$preferences)
  const locale = prefs.locale === 'auto' ? pickInboxLocale(win.navigator.languages ?? [win.navigator.language]) : prefs.locale
  const env = useMemo<InboxEnv>(() => {
    const strings = LOCALES[locale]
    return { ...services, strings, locale, format: createFormatters(locale, strings) }
  }, [services, locale])

  useEffect(() => {
    const root = win.document.documentElement
    root.lang = locale
    root.dataset.theme = prefs.theme
  }, [win, locale, prefs.theme])

  let screen
  if (route.screen === 'setup' || route.screen === 'invite') {
    screen = <AccountScreen key={route.screen} kind={route.screen} token={route.token} />
  } else if (current.phase === 'loading') {
    screen = (
      <main class="auth">
        <p role="status">{env.strings.loading}</p>
      </main>
    )
  } else if (current.phase === 'unreachable') {
    screen = (
      <main class="auth">
        <div class="card">
          <h1>{env.strings.appName}</h1>
          <p role="alert">{env.strings.networkError}</p>
          <button type="button" class="primary" onClick={() => void session.load()}>
            {env.strings.retry}
          </button>
        </div>
      </main>
    )
  } else if (current.phase === 'signed-out') {
    screen = <SignInScreen setupNeeded={current.setupNeeded} ended={current.ended === true} />
  } else {
    screen = <SignedIn key={current.agent.id} agent={current.agent} route={route} />
  }
  return <InboxContext.Provider value={env}>{screen}</InboxContext.Provider>
}
