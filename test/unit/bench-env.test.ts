// The benchmarks' and test knobs' numeric settings: unset gives the default, a whole number in
// range is taken, anything else stops with a line naming the setting and what it takes.
import { expect, it } from 'vitest';
import { SettingError, wholeNumber } from '../../support/env.js';

it('takes a whole number in range, the default when unset, and refuses the rest', () => {
  expect(wholeNumber('BENCH_ROUNDS', 3, 1, {})).toBe(3);
  expect(wholeNumber('BENCH_ROUNDS', 3, 1, { BENCH_ROUNDS: '' })).toBe(3);
  expect(wholeNumber('BENCH_ROUNDS', 3, 1, { BENCH_ROUNDS: '7' })).toBe(7);
  expect(wholeNumber('BENCH_WARMUP', 3, 0, { BENCH_WARMUP: '0' })).toBe(0);
  for (const bad of ['3x', '2.5', '-1', '0', 'NaN', 'Infinity']) {
    expect(() => wholeNumber('BENCH_ROUNDS', 3, 1, { BENCH_ROUNDS: bad })).toThrow(SettingError);
  }
  expect(() => wholeNumber('BENCH_ROUNDS', 3, 1, { BENCH_ROUNDS: '3x' })).toThrow(
    'BENCH_ROUNDS must be a whole number of at least 1, not "3x"',
  );
});
