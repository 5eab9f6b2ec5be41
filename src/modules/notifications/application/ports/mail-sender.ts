/** Port: the way out (implemented in infrastructure/nodemailer-mail-sender.ts: SMTP or .eml files). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification (`<id@host>`), so a copy that does get sent twice can be told apart. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * A send that did not happen. `permanent`: the server refused this message for good (an SMTP 5xx
 * reply to the envelope or the data) — sending it again would be refused again.
 */
export class MailNotSent extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailNotSent';
  }
}

export abstract class MailSender {
  /** `smtp`: SMTP_URL; `files`: .eml files (development); `none`: nothing configured (kept unsent). */
  abstract readonly mode: 'smtp' | 'files' | 'none';
  /** Sends one message; throws MailNotSent. */
  abstract send(mail: OutgoingMail): Promise<{ messageId: string }>;
}
