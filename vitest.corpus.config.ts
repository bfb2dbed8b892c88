import { defineConfig } from 'vitest/config';

// `npm run test:corpus`: the parsers scored on the full shared real-log corpus (../shared/corpus, not
// part of the repository). `npm test` scores the sample kept in test/fixtures/corpus.
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    // The corpus README scores with the process zone set to UTC.
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
