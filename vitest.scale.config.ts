import { defineConfig } from 'vitest/config';

// npm run test:scale: the two-tier Collector topology (test/scale), kept out of `npm test`
// because it runs ten processes for a few minutes on its own.
export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
