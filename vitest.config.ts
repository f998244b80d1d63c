import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/scale runs on its own: npm run test:scale (vitest.scale.config.ts).
    exclude: [...configDefaults.exclude, 'test/scale/**'],
    // Contract and integration tests start real processes and databases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
