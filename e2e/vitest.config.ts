import { defineConfig } from 'vitest/config';

// Browser tests: each file starts its own server (fresh PGlite data dir) and Chromium.
// `npm run test:e2e` builds web/dist first; the server serves it.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    reporters: ['default'],
    // a page that polls its data answers within seconds on a loaded CI machine, not within vitest's default second
    expect: { poll: { timeout: 10_000 } },
  },
});
