// The email channel: SMTP through nodemailer, with a plain-text and an HTML body.
import type { Transporter } from 'nodemailer';
import { isoTime, type Alert } from '../types.ts';
import { DeliveryError, type Channel } from './channel.ts';
import type { EmailNotifierConfig } from './config.ts';
import { escapeHtml, stripControl, stripControlKeepLines, truncate } from './safe-text.ts';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const SAMPLE_TEXT = 2000;

function subjectOf(alerts: readonly Alert[], prefix: string): string {
  const first = alerts[0];
  let subject: string;
  if (alerts.length === 1) {
    subject = `${first.state === 'firing' ? 'FIRING' : 'RESOLVED'}: ${first.rule}${first.key === '' ? '' : ` (${first.key})`}`;
  } else {
    const firing = alerts.filter((a) => a.state === 'firing').length;
    const rules = [...new Set(alerts.map((a) => a.rule))].join(', ');
    subject = `${alerts.length} alerts (${firing} firing): ${rules}`;
  }
  // A header is one line: log text in it must not be able to start another one.
  return truncate(stripControl(`${prefix === '' ? '' : `${prefix} `}${subject}`), 200);
}

function sampleLines(alert: Alert): string[] {
  return alert.logs.map((entry) => truncate(stripControlKeepLines(entry.raw), SAMPLE_TEXT));
}

function textOf(alert: Alert): string {
  const lines = [
    `${alert.state === 'firing' ? 'FIRING' : 'RESOLVED'}: ${stripControl(alert.rule)}`,
    ...(alert.key === '' ? [] : [`key:     ${stripControl(alert.key)}`]),
    `count:   ${alert.count}`,
    `time:    ${isoTime(alert.time)}`,
    `message: ${stripControl(alert.message)}`,
  ];
  const samples = sampleLines(alert);
  if (samples.length > 0) lines.push('recent lines:', ...samples.map((s) => `  ${s.replace(/\n/g, '\n  ')}`));
  return lines.join('\n');
}

function htmlOf(alert: Alert): string {
  const firing = alert.state === 'firing';
  const row = (label: string, value: string) =>
    `<tr><th align="left" style="padding-right:12px">${label}</th><td>${escapeHtml(value)}</td></tr>`;
  const samples = sampleLines(alert);
  return `<div style="border-left:4px solid ${firing ? '#c62828' : '#2e7d32'};padding:4px 12px;margin:12px 0">` +
    `<h3 style="margin:4px 0">${firing ? 'FIRING' : 'RESOLVED'}: ${escapeHtml(stripControl(alert.rule))}</h3>` +
    '<table>' +
    (alert.key === '' ? '' : row('Key', stripControl(alert.key))) +
    row('Count', String(alert.count)) +
    row('Time', isoTime(alert.time)) +
    row('Message', stripControl(alert.message)) +
    '</table>' +
    (samples.length === 0
      ? ''
      : `<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap">${escapeHtml(samples.join('\n'))}</pre>`) +
    '</div>';
}

/** Subject and bodies for a group of alerts. Every piece of log text in the HTML is escaped. */
export function emailMessage(alerts: readonly Alert[], config: Pick<EmailNotifierConfig, 'subjectPrefix'>): EmailMessage {
  const heading = alerts.length === 1 ? 'LogWatch alert' : `LogWatch: ${alerts.length} alerts`;
  return {
    subject: subjectOf(alerts, config.subjectPrefix),
    text: `${heading}\n\n${alerts.map(textOf).join('\n\n')}\n`,
    html: '<!doctype html><html><body style="font-family:sans-serif">' +
      `<h2>${escapeHtml(heading)}</h2>${alerts.map(htmlOf).join('')}</body></html>`,
  };
}

export function createEmailChannel(config: EmailNotifierConfig, timeoutMs: number): Channel {
  let transport: Transporter | undefined;

  // nodemailer is loaded on first use, so a LogWatch without an email notifier never loads it.
  const transporter = async (): Promise<Transporter> => {
    if (transport === undefined) {
      const { default: nodemailer } = await import('nodemailer');
      transport = nodemailer.createTransport({
        host: config.host,
        port: config.port ?? (config.secure ? 465 : 587),
        secure: config.secure,
        requireTLS: config.requireTLS,
        auth: config.auth,
        tls: {
          rejectUnauthorized: config.tls.rejectUnauthorized,
          ...(config.tls.servername === undefined ? {} : { servername: config.tls.servername }),
          ...(config.tls.minVersion === undefined ? {} : { minVersion: config.tls.minVersion }),
        },
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
    }
    return transport;
  };

  return {
    async send(alerts) {
      const message = emailMessage(alerts, config);
      const smtp = await transporter();
      try {
        // nodemailer takes no AbortSignal: the dispatcher stops waiting at the timeout, and the socket
        // timeouts set above end the connection.
        await smtp.sendMail({ from: config.from, to: config.to, ...message });
      } catch (err) {
        const e = err as { responseCode?: number; message: string };
        // 5xx SMTP replies (bad recipient, rejected sender) will not get better by retrying.
        throw new DeliveryError(`SMTP ${config.host}: ${e.message}`, e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600);
      }
    },
    close() {
      transport?.close();
    },
  };
}
