import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { MailNotSent, MailSender, type OutgoingMail } from '../application/ports/mail-sender.js';

/** The SMTP reply codes nodemailer reports and the kind of error it was. */
interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * nodemailer: over SMTP_URL (one connection per message, 10 s to connect, 30 s of silence at
 * most), or — without SMTP_URL outside production — its stream transport, each message written
 * as `.data/mail/<time>-<id>.eml` (open it in any mail client). In production without SMTP_URL
 * the mode is `none` and nothing is sent.
 */
@Injectable()
export class NodemailerMailSender implements MailSender {
  readonly mode: 'smtp' | 'files' | 'none';
  private readonly transport: Transporter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { smtpUrl } = config.mail;
    if (smtpUrl) {
      this.mode = 'smtp';
      this.transport = nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as SMTPTransport.Options);
    } else if (config.nodeEnv !== 'production') {
      this.mode = 'files';
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    } else {
      this.mode = 'none';
    }
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    if (!this.transport) throw new MailNotSent('no SMTP server is configured (SMTP_URL)', false);
    let info: { messageId?: string; message?: unknown };
    try {
      info = (await this.transport.sendMail({
        from: this.config.mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      })) as { messageId?: string; message?: unknown };
    } catch (err) {
      throw describe(err as NodemailerError);
    }
    if (this.mode === 'files' && Buffer.isBuffer(info.message)) {
      const dir = this.config.mail.outboxDir;
      await mkdir(dir, { recursive: true });
      const id = mail.messageId.replace(/[<>]/g, '').split('@')[0];
      await writeFile(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`), info.message);
    }
    return { messageId: info.messageId ?? mail.messageId };
  }
}

/**
 * A 5xx reply to the envelope or the message is permanent (the server will refuse it again);
 * everything else — no connection, a timeout, a 4xx, an authentication failure (a configuration
 * to fix, after which the e-mails should still go) — is worth retrying.
 */
function describe(err: NodemailerError): MailNotSent {
  const reply = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const permanent = reply !== undefined && reply >= 500 && reply < 600 && err.code !== 'EAUTH';
  const text = (err.response ?? err.message ?? String(err)).replace(/\s+/g, ' ').trim();
  return new MailNotSent(`${err.code ? `${err.code}: ` : ''}${text}`, permanent);
}
