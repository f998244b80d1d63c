// One way to bound a wait, for every wait that must not hang the process: a readiness ping, the
// shutdown's telemetry flush and database close.

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Settles as `promise` does, or rejects with DeadlineError after ms. The timer never outlives it. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` settled, either way, within ms; false otherwise. Never rejects. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  return withDeadline(settled, ms).catch(() => false);
}
