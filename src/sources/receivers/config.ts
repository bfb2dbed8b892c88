// Config of the receivers: syslog listeners (off unless a port is given) and the HTTP receivers.
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

export const syslogSchema = z.strictObject({
  /** UDP port (514 is the standard one; needs privileges). 0 picks a free port. */
  udp: port.optional(),
  /** TCP port, newline or octet-counted framing (RFC 6587). */
  tcp: port.optional(),
  /** TLS over TCP (RFC 5425, port 6514 by convention), octet-counted or newline framing. */
  tls: z
    .strictObject({
      port,
      /** PEM files. */
      cert: z.string().min(1),
      key: z.string().min(1),
      /** CA bundle (PEM) to require and verify client certificates (mutual TLS). */
      ca: z.string().min(1).optional(),
    })
    .optional(),
  /** Address to listen on; default: LogWatch's `host`. */
  host: z.string().min(1).optional(),
  /** Longer messages are refused and counted (RFC 5425 asks for at least 2048 octets; 64 KiB covers stack traces). */
  maxMessageBytes: z.number().int().min(480).max(16 * 1024 * 1024).default(64 * 1024),
  /** TCP connections open at once; more are refused. */
  maxConnections: z.number().int().min(1).max(100_000).default(1000),
});
export type SyslogConfig = z.infer<typeof syslogSchema>;

export const receiversSchema = z.strictObject({
  /** `POST /loki/api/v1/push`. */
  loki: z.boolean().default(true),
  /** `POST /v1/logs` (OTLP/HTTP). */
  otlp: z.boolean().default(true),
  /** Largest body after gzip or snappy decompression (the compressed body is bounded by `ingest.maxBodyBytes`). */
  maxDecodedBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /** OTLP log records with a longer body are rejected (reported to the sender as partial success). */
  maxRecordBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Distinct source names the receivers create; records of later new names go to `<receiver>:other`. */
  maxSources: z.number().int().min(1).max(1_000_000).default(1000),
});
export type ReceiversConfig = z.infer<typeof receiversSchema>;
