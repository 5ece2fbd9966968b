/**
 * Sends e-mail through SMTP with nodemailer, loaded only when a server has e-mail settings.
 */
import type { ResolvedEmail } from './email-options'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

export async function createSmtpMailer(email: ResolvedEmail): Promise<Mailer> {
  const { default: nodemailer } = await import('nodemailer')
  const transport = nodemailer.createTransport(email.smtp, { from: email.from, ...(email.replyTo !== undefined && { replyTo: email.replyTo }) })
  return {
    async send(mail) {
      await transport.sendMail(mail)
    },
    close: () => transport.close(),
  }
}
