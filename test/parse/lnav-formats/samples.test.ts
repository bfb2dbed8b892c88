// lnav's sample lines for each of its formats (test/fixtures/lnav-samples/, see NOTICE there), one test
// table per format: each sample, parsed as a source of its own would be, has the expected format,
// level, time and message, and every named field LogWatch keeps from it (compared by value: LogWatch's
// field names are its own). The level is lnav's, except where a sample says why LogWatch differs, and
// where lnav shows its default (info) for a line that writes no severity: LogWatch says UNKNOWN there.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/types.ts';
import { iso, parseLines } from '../helpers.ts';

interface Sample {
  line: string;
  by?: string;
  lnav_level?: string;
  lnav_level_default?: boolean;
  deviation?: string;
  expect: { entries: number; format: string; level: string; time: string; message: string; fields?: Record<string, string> };
}

interface Fixture {
  format: string;
  from: string;
  samples: Sample[];
}

const DIR = new URL('../../fixtures/lnav-samples/', import.meta.url);
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as Fixture);

/** Every scalar anywhere in the metadata, as text. */
function metadataValues(entry: LogEntry): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') for (const v of Object.values(value as object)) walk(v);
    else out.add(String(value));
  };
  walk(entry.metadata);
  return out;
}

it('covers every lnav format definition', () => {
  expect(fixtures.length).toBe(73);
  expect(fixtures.every((f) => f.samples.length > 0 || f.format === 'pcap_log')).toBe(true);
});

for (const fixture of fixtures) {
  if (fixture.samples.length === 0) continue;
  describe(`lnav format ${fixture.format}`, () => {
    it.each(fixture.samples.map((sample, i) => [i, sample] as const))('sample %i', (_, sample) => {
      const entries = parseLines(sample.line.split('\n'));
      const want = sample.expect;
      expect(entries).toHaveLength(want.entries);
      const entry = entries[0]!;
      expect(entry.format).toBe(want.format);
      expect(entry.level).toBe(want.level);
      expect(iso(entry)).toBe(want.time);
      expect(entry.message).toBe(want.message);
      const values = metadataValues(entry);
      for (const [name, value] of Object.entries(want.fields ?? {})) {
        expect(values.has(value) || values.has(String(Number(value))), `field ${name} = ${value}`).toBe(true);
      }
      // A level other than lnav's is either lnav's default for a line without one, or explained.
      if (sample.lnav_level !== undefined && sample.lnav_level !== want.level) {
        if (sample.lnav_level_default === true) expect(want.level).toBe('UNKNOWN');
        else expect(sample.deviation, 'a level unlike lnav\'s says why').toBeTruthy();
      }
      // The time is read from the line, never the receive time, unless the sample says it cannot be.
      if (sample.deviation === undefined) {
        expect(entry.format).not.toBe('unknown');
        expect(entry.metadata.timestamp_unparsed).toBeUndefined();
      }
    });
  });
}
