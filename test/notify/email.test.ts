import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.ts';
import { emailMessage } from '../../src/notify/email.ts';
import { createNotifiers } from '../../src/notify/index.ts';
import { alert, logEntry, until } from './helpers.ts';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function smtpServer(reject = false): Promise<{ port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        if (reject) {
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        const from = session.envelope.mailFrom;
        mails.push({ from: from === false ? '' : from.address, to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

/** The decoded body of the MIME part with this content type (quoted-printable or base64). */
function mimePart(raw: string, type: string): string {
  const start = raw.search(new RegExp(`Content-Type: ${type.replace('/', '\\/')}`, 'i'));
  expect(start, `a ${type} part`).toBeGreaterThanOrEqual(0);
  const part = raw.slice(start);
  const headerEnd = part.indexOf('\r\n\r\n');
  const headers = part.slice(0, headerEnd);
  const body = part.slice(headerEnd + 4).split(/\r\n--/)[0];
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

const hostile = '<img src=x onerror=alert(1)> & "quotes"';

describe('email notifier', () => {
  it('sends text and HTML bodies over SMTP, with log text escaped in the HTML', async () => {
    const smtp = await smtpServer();
    const notifiers = createNotifiers(
      {
        mail: {
          type: 'email',
          host: '127.0.0.1',
          port: smtp.port,
          from: 'LogWatch <logwatch@example.test>',
          to: ['ops@example.test', 'oncall@example.test'],
          groupWait: 0,
        } as never,
      },
      createMemoryLogger(),
    );
    cleanups.push(() => notifiers.close(1000));
    notifiers.dispatch(alert({ rule: 'Brute force', key: '10.0.0.9', count: 7, message: `7 failures ${hostile}`, logs: [logEntry(`GET /login ${hostile}`)] }));
    await until(() => notifiers.status()[0].sent === 1, 10_000, 'the email');

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.from).toBe('logwatch@example.test');
    expect(mail.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mail.raw).toMatch(/^Subject: \[LogWatch\] FIRING: Brute force \(10\.0\.0\.9\)\r$/m);

    const text = mimePart(mail.raw, 'text/plain');
    expect(text).toContain('FIRING: Brute force');
    expect(text).toContain('key:     10.0.0.9');
    expect(text).toContain('count:   7');
    expect(text).toContain(`  GET /login ${hostile}`);

    const html = mimePart(mail.raw, 'text/html');
    expect(html).toContain('GET /login &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('7 failures &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('does not retry a message the server refuses with a 5xx reply', async () => {
    const smtp = await smtpServer(true);
    const logger = createMemoryLogger();
    const notifiers = createNotifiers(
      { mail: { type: 'email', host: '127.0.0.1', port: smtp.port, from: 'a@example.test', to: 'b@example.test', groupWait: 0, backoffMs: 10 } as never },
      logger,
    );
    cleanups.push(() => notifiers.close(1000));
    notifiers.dispatch(alert());
    await until(() => notifiers.status()[0].failed === 1, 10_000, 'the refusal');
    expect(notifiers.status()[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('mailbox unavailable') });
  });

  it('keeps header injection out of the subject and summarises a group', () => {
    const single = emailMessage([alert({ rule: 'R\r\nBcc: victim@example.test' })], { subjectPrefix: '[LW]' });
    expect(single.subject).toBe('[LW] FIRING: R Bcc: victim@example.test');
    const group = emailMessage([alert({ rule: 'A' }), alert({ rule: 'B', state: 'resolved' })], { subjectPrefix: '' });
    expect(group.subject).toBe('2 alerts (1 firing): A, B');
    expect(group.html).toContain('<h2>LogWatch: 2 alerts</h2>');
  });
});
