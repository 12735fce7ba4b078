import { defineConfig } from 'vitest/config';

/** Browser tests: real headless Chromium (playwright-core) against a real server. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
