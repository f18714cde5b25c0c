import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { Delivery, Notifier, OutgoingMessage } from '../application/notifier';

export interface SmtpOptions {
  url: string;
  from: string;
  /** Mailbox that receives messages for customers without an e-mail address (they are posted by letter). */
  postalDesk?: string;
  requireTls?: boolean;
}

/** Real adapter: e-mail over SMTP with nodemailer (`SMTP_URL`, e.g. smtps://user:pass@host:465). */
export class SmtpNotifier extends Notifier {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpOptions) {
    super();
    const smtp: SMTPTransport.Options = { url: options.url, requireTLS: options.requireTls ?? false };
    this.transport = createTransport(smtp, { from: options.from });
  }

  async send(message: OutgoingMessage): Promise<Delivery> {
    const to = message.to.email ?? this.options.postalDesk;
    if (!to) throw new Error(`no e-mail address for ${message.id} and no SMTP_POSTAL_DESK configured`);
    const postal = !message.to.email;
    const info = await this.transport.sendMail({
      to: postal ? to : { name: message.to.name, address: to },
      subject: postal ? `[to post] ${message.subject}` : message.subject,
      // For the postal desk: where to post the printed card, then the card itself.
      text: postal
        ? `Post this card to:\n${message.to.name}\n${message.to.address ?? '(no address)'}\n\n---\n\n${message.text}`
        : message.text,
      headers: { 'X-Aftersales-Message': message.id },
    });
    return { channel: 'email', ref: String(info.messageId ?? to) };
  }

  close(): void {
    this.transport.close();
  }
}
