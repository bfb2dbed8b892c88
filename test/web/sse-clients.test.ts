// The client set both SSE routes share: limits, forgetting, heartbeats, stalled clients.
import { describe, expect, it } from 'vitest';
import type { SseChannel } from '../../src/web/sse-channel.ts';
import { SseClients } from '../../src/web/sse-clients.ts';

interface Client {
  channel: SseChannel;
  name: string;
}

const decoder = new TextDecoder();

function setup(options: Partial<{ maxClients: number; queueBytes: number; stalledMs: number }> = {}) {
  let now = 1_000_000;
  const forgotten: string[] = [];
  const clients = new SseClients<Client>({ maxClients: 2, queueBytes: 1024, stalledMs: 5000, ...options }, (c) => forgotten.push(c.name));
  const open = (name: string, signal?: AbortSignal) => clients.open((channel) => ({ channel, name }), () => now, signal);
  return { clients, forgotten, open, advance: (ms: number) => void (now += ms), now: () => now };
}

describe('SseClients', () => {
  it('counts clients up to maxClients and forgets one whose response is cancelled or whose request is aborted', async () => {
    const { clients, forgotten, open } = setup();
    const a = open('a');
    const abort = new AbortController();
    open('b', abort.signal);
    expect(clients.size).toBe(2);
    expect(clients.isFull).toBe(true);
    await a.cancel();
    abort.abort();
    expect(clients.size).toBe(0);
    expect(forgotten).toEqual(['a', 'b']);
  });

  it('pings only clients that were quiet for quietMs, and every client with 0', async () => {
    const { clients, open, advance, now } = setup();
    const a = open('a').getReader();
    const b = open('b').getReader();
    advance(10_000);
    const [busy] = [...clients].filter((c) => c.name === 'b');
    busy.channel.enqueue(new TextEncoder().encode('data: x\n\n'), now());
    clients.heartbeat(now(), 5000);
    expect(decoder.decode((await a.read()).value)).toBe(': ping\n\n');
    expect(decoder.decode((await b.read()).value)).toBe('data: x\n\n');
    clients.heartbeat(now(), 0);
    expect(decoder.decode((await b.read()).value)).toBe(': ping\n\n');
  });

  it('aborts a client whose queue stayed full for stalledMs, and only then', async () => {
    const { clients, forgotten, open, advance, now } = setup({ queueBytes: 16, stalledMs: 5000 });
    const res = open('slow');
    const [slow] = [...clients];
    slow.channel.enqueue(new Uint8Array(64), now());
    expect(slow.channel.hasRoom(now())).toBe(false); // notes the stall
    advance(4999);
    clients.closeStalled(now(), 'too slow');
    expect(clients.size).toBe(1);
    advance(1);
    clients.closeStalled(now(), 'too slow');
    expect(clients.size).toBe(0);
    expect(clients.disconnectedSlowClients).toBe(1);
    expect(forgotten).toEqual(['slow']);
    await expect(res.getReader().read()).rejects.toThrow(/too slow/);
  });

  it('closeAll ends every response normally', async () => {
    const { clients, open } = setup();
    const reader = open('a').getReader();
    clients.closeAll();
    expect(clients.size).toBe(0);
    expect((await reader.read()).done).toBe(true);
  });
});
