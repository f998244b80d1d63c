import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { throttled } from '../../otel/throttled.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('reports the first event at once, then at most one count per interval, none when quiet', () => {
  const reports: number[] = [];
  const event = throttled(10_000, (count) => reports.push(count));
  event();
  expect(reports).toEqual([1]);
  for (let i = 0; i < 500; i++) event();
  expect(reports).toEqual([1]);
  vi.advanceTimersByTime(10_000);
  expect(reports).toEqual([1, 500]);
  // Nothing since: the next interval reports nothing, and the one after that event comes at once.
  vi.advanceTimersByTime(10_000);
  expect(reports).toEqual([1, 500]);
  event();
  expect(reports).toEqual([1, 500, 1]);
});

it("reports the last event's detail with each count", () => {
  const reports: Array<[number, string]> = [];
  const event = throttled(10_000, (count, reason: string) => reports.push([count, reason]));
  event('first');
  event('second');
  event('third');
  vi.advanceTimersByTime(10_000);
  expect(reports).toEqual([
    [1, 'first'],
    [2, 'third'],
  ]);
});
