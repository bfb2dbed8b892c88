// The built-in formats wrapped so that every parse call is counted: how many parsers a line costs
// (test/parse/source-parser.test.ts pins it, bench/lib/detect-cost.ts measures it). The wrapper keeps
// `weak` and `joined` live, so the source parser behaves exactly as with the real formats.
import type { FormatSpec, LineParser } from '../../src/parse/format.ts';
import { BUILTIN_SPECS } from '../../src/parse/formats/index.ts';

export function countingSpecs(onCall: (format: string) => void): FormatSpec[] {
  return BUILTIN_SPECS.map((spec) => ({
    ...spec,
    create: (ctx) => {
      const inner = spec.create(ctx);
      const parser: LineParser = {
        name: inner.name,
        multiline: inner.multiline,
        get weak() { return inner.weak; },
        get joined() { return inner.joined; },
        parse(line) {
          onCall(spec.name);
          return inner.parse(line);
        },
      };
      return parser;
    },
  }));
}
