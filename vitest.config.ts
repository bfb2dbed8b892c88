import { defineConfig } from 'vitest/config';

// Times written without a zone are read in the process zone (a source with no `timezone`). The main run
// pins TZ=UTC so that results never depend on the machine; the parse suites run again under two real
// zones with DST (one with a 30-minute shift), so the local-zone path every unconfigured source takes
// is exercised too. Only test/parse/** runs three times: it is fast and it is where zones matter.
const DST_ZONES = ['America/New_York', 'Australia/Lord_Howe'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'utc',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          // The full shared corpus is `npm run test:corpus` (vitest.corpus.config.ts): it lives outside the repo.
          exclude: ['test/corpus/**', '**/node_modules/**'],
          env: { TZ: 'UTC' },
          globalSetup: ['test/setup/chromium.ts', 'test/setup/rsyslog.ts'],
        },
      },
      ...DST_ZONES.map((zone) => ({
        extends: true as const,
        test: {
          name: `tz:${zone}`,
          include: ['test/parse/**/*.test.ts'],
          env: { TZ: zone },
        },
      })),
    ],
  },
});
