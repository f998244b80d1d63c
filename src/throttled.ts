// A report for events that can come by the thousand (connections closed by a guard): the first
// at once, then at most one every `intervalMs` with how many came since, so a flood cannot turn
// into a flood of log lines.

export function throttled(intervalMs: number, report: (count: number) => void): () => void {
  let pending = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending === 0) return;
    report(pending);
    pending = 0;
    timer = setTimeout(flush, intervalMs).unref();
  };
  return () => {
    pending++;
    if (!timer) flush();
  };
}
