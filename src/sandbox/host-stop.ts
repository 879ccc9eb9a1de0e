/** The function host stopped the delivery: it ran past `host.maxDuration` on the virtual clock. */
export class HostStop extends Error {}

/**
 * Races `work` against `signal`: when the simulator aborts it (the host stops the function), the
 * result is a rejection with {@link HostStop}; the work itself is abandoned, as the host abandons it.
 *
 * @example
 * const response = await untilStopped(handler(request), delivery.stop);
 */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new HostStop());
    else signal.addEventListener("abort", (onAbort = () => reject(new HostStop())), { once: true });
  });
  return Promise.race([work, stopped]).finally(() => {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  });
}
