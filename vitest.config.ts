import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    // The conformance specs run the shared suites, hundreds of thousands of trials.
    testTimeout: 30 * 60 * 1000,
    pool: 'forks',
  },
});
