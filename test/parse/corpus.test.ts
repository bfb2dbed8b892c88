// The parsers scored on the real logs kept in the repository (test/fixtures/corpus: permissive licences,
// under 1 MB), so that `npm test` needs nothing beside the clone. The full shared corpus is scored by
// `npm run test:corpus` (test/corpus/).
import { describeCorpus } from './corpus-suite.ts';

describeCorpus({
  corpus: new URL('../fixtures/corpus/', import.meta.url),
  title: 'the real-log sample in the repository',
  minFiles: 20,
  missing: 'test/fixtures/corpus/manifest.json belongs to the repository: restore it with git',
});
