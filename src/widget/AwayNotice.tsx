/**
 * While nobody can answer (no agent online, or outside business hours): when a reply can be
 * expected, and, as the site asks, the e-mail address to reply to. Messages are still sent and
 * kept; agents see them when they are back.
 */
import type { Ref } from 'preact'
import type { SiteInfo } from '../index'
import { useWidget } from './context'
import { EmailPrompt } from './EmailPrompt'
import { fill } from './i18n'

interface AwayNoticeProps {
  site: SiteInfo
  emailRef: Ref<HTMLInputElement>
  onEmailSaved: () => void
}

export function AwayNotice({ site, emailRef, onEmailSaved }: AwayNoticeProps) {
  const { strings, formatOpening } = useWidget()
  const { opensAt } = site.availability
  return (
    <div class="away" role="note">
      <p class="away-text">{opensAt !== undefined ? fill(strings.awayUntil, { time: formatOpening(opensAt) }) : strings.awayNoAgents}</p>
      {site.awayEmail !== 'off' && <EmailPrompt required={site.awayEmail === 'required'} inputRef={emailRef} onSaved={onEmailSaved} />}
    </div>
  )
}
