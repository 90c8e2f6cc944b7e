/** Waiting for a loop to end after a stop signal, but never longer than a grace period. */

/**
 * Resolves when `loop` settles (rejecting with its error), or `graceMs` after `signal` aborts,
 * whichever comes first, so a stuck request cannot hold a stop past the limit.
 */
export function untilStopped(
  loop: Promise<void>,
  signal: AbortSignal,
  graceMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      timer = setTimeout(resolve, graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    loop.then(resolve, (error) => signal.aborted ? resolve() : reject(error)).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
  });
}
