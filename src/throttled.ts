// A report for events that can come by the thousand (connections closed by a guard, refused
// requests, failed exports): the first at once, then at most one every `intervalMs` with how
// many came since and the last event's detail, so a flood cannot turn into a flood of log lines.

export function throttled<T = undefined>(
  intervalMs: number,
  report: (count: number, last: T) => void,
): (...detail: T extends undefined ? [] : [T]) => void {
  let pending = 0;
  let last: T;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending === 0) return;
    report(pending, last);
    pending = 0;
    timer = setTimeout(flush, intervalMs).unref();
  };
  return (...detail) => {
    pending++;
    last = detail[0] as T;
    if (!timer) flush();
  };
}
