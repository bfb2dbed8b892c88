// Syslog listeners: UDP datagrams, TCP streams and TLS streams (RFC 5425), each message decoded into a
// record and spooled through the intake. Messages that arrive together are spooled together (one
// write per turn of the event loop), so a busy sender costs one spool write per burst, not per line.
// When the spool falls behind, TCP connections stop being read (the sender's own queue holds its
// messages, as rsyslog's and syslog-ng's do) and UDP datagrams are dropped and counted: UDP has no
// way to slow a sender down.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from '../../logger.ts';
import type { Clock } from '../../types.ts';
import { ErrorReporter } from '../error-reporter.ts';
import type { SyslogConfig } from './config.ts';
import type { ReceiverIntake } from './intake.ts';
import { decodeSyslog } from './syslog-decode.ts';
import { SyslogFramer, type FramerResult } from './syslog-framing.ts';
import type { ReceivedRecord } from './types.ts';

export interface SyslogReceiverOptions {
  config: SyslogConfig;
  /** Address when the config names none. */
  defaultHost: string;
  intake: ReceiverIntake;
  logger: Logger;
  clock: Clock;
  /**
   * Whether `n` more messages from `peer` (an address) are within its rate (the per-client limits of
   * HTTP ingest, README "Security"); false drops them, counted as rate_limited. Default: no limit.
   */
  admit?: (peer: string, n: number) => boolean;
}

export interface SyslogPorts {
  udp?: number;
  tcp?: number;
  tls?: number;
}

export class SyslogReceiver {
  private udp: UdpSocket | null = null;
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly paused = new Set<Socket>();
  private batch: ReceivedRecord[] = [];
  private batchBytes = 0;
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly errors: ErrorReporter;
  private stopping = false;

  constructor(private readonly options: SyslogReceiverOptions) {
    this.errors = new ErrorReporter(options.logger);
    options.intake.register('syslog');
  }

  /** Binds the configured listeners; resolves with the bound ports (0 in config picks one). */
  async start(): Promise<SyslogPorts> {
    const { config } = this.options;
    const host = config.host ?? this.options.defaultHost;
    const ports: SyslogPorts = {};
    try {
      if (config.udp !== undefined) ports.udp = await this.listenUdp(host, config.udp);
      if (config.tcp !== undefined) ports.tcp = await this.listenStream(createServer((socket) => this.connection(socket)), host, config.tcp, 'TCP');
      if (config.tls !== undefined) {
        const [cert, key, ca] = await Promise.all([readFile(config.tls.cert), readFile(config.tls.key), config.tls.ca === undefined ? undefined : readFile(config.tls.ca)]);
        const server = createTlsServer({ cert, key, ca, requestCert: ca !== undefined, rejectUnauthorized: ca !== undefined }, (socket) => this.connection(socket));
        server.on('tlsClientError', (err) => this.errors.report('tls', 'handshake', `syslog TLS: a client failed the handshake: ${err.message}`));
        ports.tls = await this.listenStream(server, host, config.tls.port, 'TLS');
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return ports;
  }

  /** TCP/TLS connections open, and how many of them are paused because the spool is backed up. */
  connections(): { open: number; paused: number } {
    return { open: this.sockets.size, paused: this.paused.size };
  }

  /** Stops listening, ends connections (their last unterminated message is kept) and waits for the spool writes. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.udp?.close();
    this.udp = null;
    for (const socket of this.sockets) socket.end();
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const socket of this.sockets) socket.destroy();
    this.servers.length = 0;
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private listenUdp(host: string, port: number): Promise<number> {
    const type = host.includes(':') ? 'udp6' : 'udp4';
    const socket = createSocket({ type, recvBufferSize: 4 * 1024 * 1024 } as Parameters<typeof createSocket>[0]);
    this.udp = socket;
    socket.on('message', (msg, rinfo) => this.datagram(msg, rinfo.address));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.errors.report('udp', 'error', `syslog UDP: ${err.message}`, 'error'));
        resolve(socket.address().port);
      });
    });
  }

  private listenStream(server: Server, host: string, port: number, kind: string): Promise<number> {
    this.servers.push(server);
    server.maxConnections = this.options.config.maxConnections;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`syslog ${kind}: cannot listen on ${host}:${port} (${err.code ?? err.message}); pick another port in syslog.${kind === 'TLS' ? 'tls.port' : 'tcp'}`)));
      server.listen(port, host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  private datagram(msg: Buffer, peer: string): void {
    const { intake, config } = this.options;
    if (msg.length > config.maxMessageBytes) return intake.refuse('syslog', 'too_large');
    if (intake.backedUp()) return intake.refuse('syslog', 'backed_up');
    if (this.options.admit?.(peer, 1) === false) return intake.refuse('syslog', 'rate_limited');
    this.add(decodeSyslog(msg.toString('utf8'), peer, this.options.clock()), msg.length);
  }

  private connection(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    const peer = socket.remoteAddress ?? 'unknown';
    const framer = new SyslogFramer(this.options.config.maxMessageBytes);
    const result: FramerResult = { frames: [], tooLarge: 0 };
    const take = () => {
      if (result.tooLarge > 0) this.options.intake.refuse('syslog', 'too_large', result.tooLarge);
      const now = this.options.clock();
      // Over its line rate, a peer's frames are dropped and counted: syslog has no way to say "retry".
      if (result.frames.length > 0 && this.options.admit?.(peer, result.frames.length) === false) {
        this.options.intake.refuse('syslog', 'rate_limited', result.frames.length);
        result.frames.length = 0;
      }
      for (const frame of result.frames) this.add(decodeSyslog(frame, peer, now), frame.length);
      result.frames.length = 0;
      result.tooLarge = 0;
    };
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk, result);
      take();
      if (this.options.intake.backedUp() && !this.paused.has(socket)) {
        socket.pause();
        this.paused.add(socket);
      }
    });
    socket.on('end', () => {
      framer.end(result);
      take();
    });
    // A reset by the peer is normal for syslog senders; nothing to report.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.paused.delete(socket);
    });
  }

  private add(record: ReceivedRecord, bytes: number): void {
    this.batch.push(record);
    this.batchBytes += bytes;
    if (this.batch.length >= 10_000) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const records = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    const done = this.options.intake.accept('syslog', records, bytes).then(
      () => this.errors.recover('spool'),
      (err: Error) => this.errors.report('spool', 'error', `syslog: ${records.length} messages could not be spooled and are lost (${err.message}); check the state folder's disk`, 'error'),
    );
    const tracked = done.finally(() => {
      this.inFlight.delete(tracked);
      this.resumeIfDrained();
    });
    this.inFlight.add(tracked);
  }

  private resumeIfDrained(): void {
    if (this.paused.size === 0 || this.options.intake.backedUp()) return;
    for (const socket of this.paused) socket.resume();
    this.paused.clear();
  }
}
