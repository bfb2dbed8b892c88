// When held entries are released: after a short grace once the reader caught up, at the latest after
// the timeout, never twice (src/held-release.ts).
import { describe, expect, it } from 'vitest';
import { HeldRelease } from '../src/held-release.ts';
import { ManualTimers, settle } from './helpers/manual-timers.ts';

function setup(graceMs = 5, timeoutMs = 250) {
  const timers = new ManualTimers();
  const released: Array<[string, number]> = [];
  const held = new HeldRelease(timers, graceMs, timeoutMs, (source) => released.push([source, timers.now]));
  return { timers, released, held };
}

describe('HeldRelease', () => {
  it('releases after the grace once the reader caught up', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    held.caughtUp('a');
    await timers.advance(4);
    expect(released).toEqual([]);
    await timers.advance(1);
    expect(released).toEqual([['a', 5]]);
    await timers.advance(1000);
    expect(released).toHaveLength(1);
    expect(timers.size).toBe(0);
  });

  it('waits the grace again when another batch comes first', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    held.caughtUp('a');
    await timers.advance(2);
    held.held('a');
    held.caughtUp('a');
    await timers.advance(2);
    held.held('a');
    held.caughtUp('a');
    await timers.advance(5);
    expect(released).toEqual([['a', 9]]);
  });

  it('waits the whole timeout when the reader never catches up (backlog, unfinished line)', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    await timers.advance(249);
    expect(released).toEqual([]);
    await timers.advance(1);
    expect(released).toEqual([['a', 250]]);
  });

  it('restarts the timeout with every batch that leaves something held', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    await timers.advance(200);
    held.held('a');
    await timers.advance(200);
    expect(released).toEqual([]);
    await timers.advance(50);
    expect(released).toEqual([['a', 450]]);
  });

  it('does nothing for a source with nothing held, and forgets a source cleared', async () => {
    const { timers, released, held } = setup();
    held.caughtUp('a');
    held.held('b');
    held.cleared('b');
    held.caughtUp('b');
    await timers.advance(1000);
    expect(released).toEqual([]);
    expect(timers.size).toBe(0);
  });

  it('keeps sources apart', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    held.held('b');
    held.caughtUp('b');
    await timers.advance(5);
    expect(released).toEqual([['b', 5]]);
    await timers.advance(245);
    expect(released).toEqual([['b', 5], ['a', 250]]);
  });

  it('with a grace not below the timeout, only the timeout applies', async () => {
    const { timers, released, held } = setup(300, 250);
    held.held('a');
    held.caughtUp('a');
    await timers.advance(250);
    expect(released).toEqual([['a', 250]]);
  });

  it('close() stops every wait', async () => {
    const { timers, released, held } = setup();
    held.held('a');
    held.caughtUp('a');
    held.close();
    await timers.advance(1000);
    expect(released).toEqual([]);
    expect(timers.size).toBe(0);
  });

  it('asks the reader at the end of the grace, and waits another grace while more was written', async () => {
    const { timers, released, held } = setup();
    const answers = [true, false];
    let asked = 0;
    held.held('a');
    held.caughtUp('a', async () => {
      asked++;
      return answers.shift()!;
    });
    await timers.advance(5);
    await settle();
    expect([asked, released]).toEqual([1, []]);
    await timers.advance(5);
    await settle();
    expect([asked, released]).toEqual([2, [['a', 10]]]);
  });

  it('ignores the answer of a check overtaken by a batch, and releases on a failed check', async () => {
    const { timers, released, held } = setup();
    let answer: (more: boolean) => void = () => {};
    held.held('a');
    held.caughtUp('a', () => new Promise<boolean>((resolve) => (answer = resolve)));
    await timers.advance(5);
    held.held('a'); // a batch came while the check was under way
    answer(false);
    await settle();
    expect(released).toEqual([]);
    held.caughtUp('a', async () => {
      throw new Error('EBADF');
    });
    await timers.advance(5);
    await settle();
    expect(released).toEqual([['a', 10]]);
  });
});
