import { configDefaults, defineConfig } from 'vitest/config';

// Two projects. `fast` (unit tests and static checks) runs its files in parallel. `processes`
// (faults, integration, contract, stack, copy-path) starts real services, databases and backends and
// measures time, so its files run one at a time, after `fast` has finished (groupOrder): no
// test's timing shares the CPU with another test file. test/scale runs on its own:
// npm run test:scale (vitest.scale.config.ts).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/unit/**/*.test.ts', 'test/static/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['test/{faults,integration,contract,stack,copy-path}/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/scale/**'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
