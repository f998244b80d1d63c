// A report for events that can come by the thousand (failed exports, connections closed by a
// guard, refused requests): the first at once, then at most one every `intervalMs` with how many
// came since and the last event's detail, so a flood cannot turn into a flood of log lines, and
// the count of the last interval is reported even when nothing follows it.

/** Runs `fn` after `ms`, without keeping the process alive; tests pass a clock of their own. */
export type Schedule = (fn: () => void, ms: number) => void;

const unrefTimeout: Schedule = (fn, ms) => {
  setTimeout(fn, ms).unref();
};

export function throttled<T = undefined>(
  intervalMs: number,
  report: (count: number, last: T) => void,
  schedule: Schedule = unrefTimeout,
): (...detail: T extends undefined ? [] : [T]) => void {
  let pending = 0;
  let last: T;
  // An interval is open from a report until its end finds nothing new.
  let open = false;
  const flush = () => {
    open = false;
    if (pending === 0) return;
    report(pending, last);
    pending = 0;
    open = true;
    schedule(flush, intervalMs);
  };
  return (...detail) => {
    pending++;
    last = detail[0] as T;
    if (!open) flush();
  };
}
