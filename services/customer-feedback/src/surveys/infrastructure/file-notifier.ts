import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Delivery, Notifier, OutgoingMessage } from '../application/notifier';

/**
 * Development adapter: each message becomes one plain-text RFC 822 file (`<id>.eml`) in a local outbox
 * folder, readable as it is and openable by a mail client. Written to a temp name and renamed, so a reader
 * never sees half a message; sending the same id again replaces the file.
 */
export class FileNotifier extends Notifier {
  constructor(private readonly dir: string) {
    super();
  }

  async send(message: OutgoingMessage): Promise<Delivery> {
    await mkdir(this.dir, { recursive: true });
    const file = path.resolve(this.dir, `${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
    const to = message.to.email ? `${message.to.name} <${message.to.email}>` : message.to.name;
    const body = [
      `To: ${to}`,
      ...(message.to.phone ? [`X-Phone: ${message.to.phone}`] : []),
      ...(message.to.address ? [`X-Postal-Address: ${message.to.address}`] : []),
      `Subject: ${message.subject}`,
      `X-Message-Id: ${message.id}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      message.text,
      '',
    ].join('\n');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, body, 'utf8');
    await rename(tmp, file);
    return { channel: 'file', ref: file };
  }
}
