import { describe, expect, it } from 'vitest';
import { DeadlineError, settlesWithin, withDeadline } from '../../src/deadline.js';

const never = new Promise<never>(() => {});

describe('withDeadline', () => {
  it('passes a value or a rejection through, and rejects with DeadlineError when time runs out', async () => {
    expect(await withDeadline(Promise.resolve(7), 50)).toBe(7);
    await expect(withDeadline(Promise.reject(new Error('no')), 50)).rejects.toThrow('no');
    await expect(withDeadline(never, 20, 'SELECT 1')).rejects.toThrow(DeadlineError);
    await expect(withDeadline(never, 20, 'SELECT 1')).rejects.toThrow('SELECT 1: no answer within 20 ms');
  });
});

describe('settlesWithin', () => {
  it('is true for a promise that settles either way in time, false for one that does not', async () => {
    expect(await settlesWithin(Promise.resolve(), 50)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('no')), 50)).toBe(true);
    expect(await settlesWithin(never, 20)).toBe(false);
  });
});
