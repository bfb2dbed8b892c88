// The parsers scored on the full shared real-log corpus (`npm run test:corpus`; CI runs it after
// `npm test`). The corpus is not part of the repository: CI clones the repository beside shared/.
import { describeCorpus } from '../parse/corpus-suite.ts';

describeCorpus({
  // Resolved from this file, not the working directory.
  corpus: new URL('../../../shared/corpus/', import.meta.url),
  title: 'the shared real-log corpus',
  minFiles: 31,
  missing: 'clone the shared/ folder beside the repository; `npm test` alone scores the sample in test/fixtures/corpus',
});
