import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileNotifier } from './file-notifier';
import { SmtpNotifier } from './smtp-notifier';

/** The smallest SMTP server nodemailer will talk to: records envelopes and message data. */
function fakeSmtp(): Promise<{
  server: Server;
  port: number;
  mails: Array<{ from: string; to: string[]; data: string }>;
}> {
  const mails: Array<{ from: string; to: string[]; data: string }> = [];
  const server = createServer((socket: Socket) => {
    let mail = { from: '', to: [] as string[], data: '' };
    let inData = false;
    let buffer = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push(mail);
            mail = { from: '', to: [], data: '' };
            socket.write('250 queued\r\n');
          } else mail.data += `${line}\n`;
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'MAIL') mail.from = line;
        if (cmd === 'RCPT') mail.to.push(line);
        if (cmd === 'DATA') inData = true;
        if (cmd === 'QUIT') socket.end('221 bye\r\n');
        else socket.write(cmd === 'DATA' ? '354 go\r\n' : '250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, mails })),
  );
}

const message = {
  id: 'sv-call/1',
  to: { name: 'Ana Pérez', phone: '+34 600', address: 'Calle Mayor 1' },
  subject: 'How did we do?',
  text: 'Answer here: https://x/surveys/answer/abc',
};

describe('FileNotifier (development outbox folder)', () => {
  it('writes one readable .eml per message id, replacing it when the same id is sent again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    try {
      const notifier = new FileNotifier(path.join(dir, 'nested'));
      const delivery = await notifier.send(message);
      await notifier.send(message);
      const files = readdirSync(path.join(dir, 'nested'));
      expect(files).toEqual(['sv-call_1.eml']);
      expect(delivery).toEqual({ channel: 'file', ref: path.join(dir, 'nested', 'sv-call_1.eml') });
      const text = readFileSync(delivery.ref, 'utf8');
      expect(text).toContain('To: Ana Pérez\n');
      expect(text).toContain('Subject: How did we do?\n');
      expect(text).toContain('\n\nAnswer here: https://x/surveys/answer/abc\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SmtpNotifier (nodemailer over SMTP)', () => {
  it('mails the customer when the address is known, else the postal desk with the postal address', async () => {
    const smtp = await fakeSmtp();
    const notifier = new SmtpNotifier({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'Aftersales <no-reply@example.com>',
      postalDesk: 'post@example.com',
    });
    try {
      const direct = await notifier.send({ ...message, to: { ...message.to, email: 'ana@example.com' } });
      expect(direct.channel).toBe('email');
      await notifier.send(message);
      expect(smtp.mails).toHaveLength(2);
      expect(smtp.mails[0].from).toContain('no-reply@example.com');
      expect(smtp.mails[0].to).toEqual(['RCPT TO:<ana@example.com>']);
      expect(smtp.mails[0].data).toContain('Subject: How did we do?');
      expect(smtp.mails[0].data).toContain('X-Aftersales-Message: sv-call/1');
      expect(smtp.mails[1].to).toEqual(['RCPT TO:<post@example.com>']);
      expect(smtp.mails[1].data).toContain('Post this card to:\nAna P');
      expect(smtp.mails[1].data).toContain('Calle Mayor 1');
    } finally {
      notifier.close();
      smtp.server.close();
    }
  });

  it('fails (so the survey is retried) when there is nowhere to send it or the server is down', async () => {
    const noDesk = new SmtpNotifier({ url: 'smtp://127.0.0.1:1', from: 'a@example.com' });
    await expect(noDesk.send(message)).rejects.toThrow(/no e-mail address/);
    await expect(noDesk.send({ ...message, to: { ...message.to, email: 'ana@example.com' } })).rejects.toThrow();
    noDesk.close();
  });
});
