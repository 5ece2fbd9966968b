// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import { ok, refused, SARI, settle, signedIn, signedOut, start } from './harness'

const PASSWORD = 'correct horse battery'

describe('sign-in', () => {
  test('fields labelled Email and Password, a Sign in button; success opens the inbox with the session', async () => {
    const inbox = await start({ ...signedOut(), 'POST /api/auth/sign-in': ok({ agent: SARI }) })
    const user = userEvent.setup()
    await user.type(inbox.ui.getByLabelText('Email'), ' sari@example.com ')
    await user.type(inbox.ui.getByLabelText('Password'), PASSWORD)
    await user.click(inbox.ui.getByRole('button', { name: 'Sign in' }))
    await settle()
    expect(inbox.calls.find((c) => c.path === '/api/auth/sign-in')?.body).toEqual({ email: 'sari@example.com', password: PASSWORD })
    inbox.ui.getByRole('heading', { name: 'Conversations' })
    // The client's credential is the session's socket token, asked for by the core before each attempt.
    expect(inbox.clientOptions[0]).toMatchObject({ role: 'agent', storageKey: `obrolan-inbox:${SARI.id}` })
  })

  test.each([
    [refused(401, 'Wrong email or password'), 'Wrong email or password.'],
    [refused(429, 'Too many sign-in attempts', { 'Retry-After': '12' }), 'Too many attempts. Try again in 12 seconds.'],
    [{ status: 0 }, 'Cannot reach the server. Check your connection and try again.'],
    [refused(500, 'The store failed'), 'The server could not do that: The store failed'],
  ])('a refusal is said in words: %j', async (reply, words) => {
    const inbox = await start({ ...signedOut(), 'POST /api/auth/sign-in': reply })
    const user = userEvent.setup()
    await user.type(inbox.ui.getByLabelText('Email'), 'sari@example.com')
    await user.type(inbox.ui.getByLabelText('Password'), 'whatever it is')
    await user.click(inbox.ui.getByRole('button', { name: 'Sign in' }))
    await settle()
    expect(inbox.ui.getByRole('alert').textContent).toBe(words)
    inbox.ui.getByRole('button', { name: 'Sign in' })
  })

  test('without any account the screen says how to make the first one', async () => {
    const inbox = await start(signedOut(true))
    inbox.ui.getByText(/No account exists yet/)
  })

  test('a server that cannot be reached: said, with a way to try again', async () => {
    let reachable = false
    const inbox = await start({ 'GET /api/auth/state': () => (reachable ? ok({ signedIn: false, setupNeeded: false }) : { status: 0 }) })
    inbox.ui.getByText(/Cannot reach the server/)
    reachable = true
    await userEvent.setup().click(inbox.ui.getByRole('button', { name: 'Retry' }))
    await settle()
    inbox.ui.getByRole('button', { name: 'Sign in' })
  })

  test('a session the server no longer knows (401 on the socket token) goes back to sign-in, saying why', async () => {
    const inbox = await start({ ...signedIn(), 'GET /api/auth/socket-token': refused(401, 'Not signed in') })
    const token = inbox.clientOptions[0]!.token as () => Promise<string>
    await expect(token()).rejects.toThrow('Not signed in')
    await settle()
    expect(inbox.ui.getByRole('alert').textContent).toBe('Your session has ended. Sign in again.')
    expect(inbox.fake.client.destroy).toHaveBeenCalled()
  })

  test('the token getter returns the server’s socket token', async () => {
    const inbox = await start({ ...signedIn(), 'GET /api/auth/socket-token': ok({ token: 'tok-1', expiresAt: 5 }) })
    const token = inbox.clientOptions[0]!.token as () => Promise<string>
    expect(await token()).toBe('tok-1')
  })

  test('sign-out ends the session, destroys the client and shows sign-in', async () => {
    const inbox = await start({ ...signedIn(), 'POST /api/auth/sign-out': ok({}) })
    await userEvent.setup().click(inbox.ui.getByRole('button', { name: 'Sign out' }))
    await settle()
    inbox.ui.getByRole('button', { name: 'Sign in' })
    expect(inbox.fake.client.destroy).toHaveBeenCalled()
    expect(inbox.calls.some((c) => c.method === 'POST' && c.path === '/api/auth/sign-out')).toBe(true)
  })
})

describe('setup and invites', () => {
  test('the owner is created from the setup link; the token leaves the URL', async () => {
    const inbox = await start({ ...signedOut(true), 'POST /api/auth/setup': ok({ agent: SARI }) }, '/inbox/setup#token=tok-setup')
    const user = userEvent.setup()
    inbox.ui.getByRole('heading', { name: 'Create the owner account' })
    await user.type(inbox.ui.getByLabelText('Name'), 'Sari')
    await user.type(inbox.ui.getByLabelText('Email'), 'sari@example.com')
    await user.type(inbox.ui.getByLabelText('Password'), 'short')
    await user.click(inbox.ui.getByRole('button', { name: 'Create account' }))
    expect(inbox.ui.getByRole('alert').textContent).toBe('The password needs at least 10 characters.')
    expect(inbox.calls.some((c) => c.path === '/api/auth/setup')).toBe(false)
    await user.clear(inbox.ui.getByLabelText('Password'))
    await user.type(inbox.ui.getByLabelText('Password'), PASSWORD)
    await user.click(inbox.ui.getByRole('button', { name: 'Create account' }))
    await settle()
    expect(inbox.calls.find((c) => c.path === '/api/auth/setup')?.body).toEqual({ token: 'tok-setup', name: 'Sari', email: 'sari@example.com', password: PASSWORD })
    expect(location.pathname + location.hash).toBe('/inbox/')
    inbox.ui.getByRole('heading', { name: 'Conversations' })
  })

  test('a used setup link says so; a link without its token says so before anything is sent', async () => {
    const used = await start({ ...signedOut(), 'POST /api/auth/setup': refused(410, 'This link has been used') }, '/inbox/setup#token=old')
    const user = userEvent.setup()
    await user.type(used.ui.getByLabelText('Name'), 'Sari')
    await user.type(used.ui.getByLabelText('Email'), 'sari@example.com')
    await user.type(used.ui.getByLabelText('Password'), PASSWORD)
    await user.click(used.ui.getByRole('button', { name: 'Create account' }))
    await settle()
    expect(used.ui.getByRole('alert').textContent).toMatch(/used or has expired/)
  })

  test('an invite link without a token says so', async () => {
    const inbox = await start(signedOut(), '/inbox/invite')
    expect(inbox.ui.getByRole('alert').textContent).toMatch(/no token/)
  })

  test('an invited agent joins with a name and a password; a used invite says to ask for a new one', async () => {
    let used = false
    const inbox = await start(
      { ...signedOut(), 'POST /api/auth/accept-invite': () => (used ? refused(410, 'gone') : ok({ agent: { ...SARI, id: 'a-budi', name: 'Budi', role: 'agent' } })) },
      '/inbox/invite#token=tok-invite',
    )
    const user = userEvent.setup()
    inbox.ui.getByRole('heading', { name: 'Join the team' })
    expect(inbox.ui.queryByLabelText('Email')).toBeNull()
    await user.type(inbox.ui.getByLabelText('Name'), 'Budi')
    await user.type(inbox.ui.getByLabelText('Password'), PASSWORD)
    used = true
    await user.click(inbox.ui.getByRole('button', { name: 'Join' }))
    await settle()
    expect(inbox.ui.getByRole('alert').textContent).toBe('This invite has been used or has expired. Ask an owner for a new one.')
    used = false
    await user.click(inbox.ui.getByRole('button', { name: 'Join' }))
    await settle()
    expect(inbox.calls.filter((c) => c.path === '/api/auth/accept-invite').at(-1)?.body).toEqual({ token: 'tok-invite', name: 'Budi', password: PASSWORD })
    inbox.ui.getByRole('heading', { name: 'Conversations' })
  })
})

describe('agents page', () => {
  const budi = { id: 'a-budi', email: 'budi@example.com', name: 'Budi', role: 'agent' as const, createdAt: 2 }

  test('owners invite (the link is shown to copy) and remove after confirming; not themselves', async () => {
    let agents = [SARI, budi]
    const inbox = await start(
      {
        ...signedIn(),
        'GET /api/agents': () => ok({ agents }),
        'POST /api/agents/invites': ok({ inviteUrl: 'http://x/inbox/invite#token=t', expiresAt: Date.UTC(2025, 2, 12) }),
        'DELETE /api/agents/a-budi': () => {
          agents = [SARI]
          return ok({})
        },
      },
      '/inbox/?view=agents',
    )
    const user = userEvent.setup()
    // The page is a chunk of its own: it comes, then asks for the team.
    await waitFor(() => inbox.ui.getByText('budi@example.com'))
    expect(inbox.ui.queryByRole('button', { name: 'Remove Sari' })).toBeNull()
    await user.type(inbox.ui.getByLabelText('Email'), 'ani@example.com')
    await user.click(inbox.ui.getByRole('button', { name: 'Create invite link' }))
    await settle()
    expect((inbox.ui.getByLabelText('Invite link') as HTMLInputElement).value).toBe('http://x/inbox/invite#token=t')
    inbox.ui.getByText(/Send this link to ani@example.com/)
    await user.click(inbox.ui.getByRole('button', { name: 'Remove Budi' }))
    inbox.ui.getByText('Remove Budi? They are signed out at once.')
    await user.click(inbox.ui.getByRole('button', { name: 'Remove' }))
    await settle()
    expect(inbox.calls.some((c) => c.method === 'DELETE' && c.path === '/api/agents/a-budi')).toBe(true)
    expect(inbox.ui.queryByText('budi@example.com')).toBeNull()
  })

  test('agents who are not owners see the team, without invite or remove', async () => {
    const inbox = await start({ ...signedIn(budi), 'GET /api/agents': ok({ agents: [SARI, budi] }) }, '/inbox/?view=agents')
    await waitFor(() => inbox.ui.getByText('sari@example.com'))
    expect(inbox.ui.queryByRole('button', { name: /Remove/ })).toBeNull()
    expect(inbox.ui.queryByRole('button', { name: 'Create invite link' })).toBeNull()
    inbox.ui.getByText('Only owners can invite and remove agents.')
  })
})
