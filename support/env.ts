// The benchmarks' numeric settings (BENCH_ROUNDS, BENCH_DURATION, …), read once and checked: a
// typo such as BENCH_ROUNDS=3x must stop the run with a line that says what it takes, not run
// NaN rounds.

export class SettingError extends Error {}

/** The whole number in `name`, from `min` up, or `fallback` when it is unset. */
export function wholeNumber(name: string, fallback: number, min = 1, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new SettingError(`${name} must be a whole number of at least ${min}, not "${text}"`);
  }
  return value;
}
