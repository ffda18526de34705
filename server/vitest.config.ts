import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // each file builds its own database; two workers on a two-core machine
    maxWorkers: 2,
  },
});
