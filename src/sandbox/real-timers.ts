import * as timers from "node:timers";

type Fn = (...args: any[]) => any;

/**
 * A fake-timer library's replacement (sinon's fake-timers, which vitest and jest use) carries its
 * clock, and the clock keeps the function it replaced under `_<name>`: follow that back to the real one.
 */
function real<T extends Fn>(fn: T, name: string): T {
  let current: Fn = fn;
  for (let i = 0; i < 8; i++) {
    const clock = (current as { clock?: Record<string, unknown> }).clock;
    const original = clock?.[`_${name}`];
    if (typeof original !== "function" || original === current) break;
    current = original as Fn;
  }
  return current as T;
}

/**
 * The harness's own timers (delivery deadlines, the yields between deliveries), taken from
 * `node:timers` and unwrapped from any fake-timer library installed before this module loaded, so a
 * setup file's `vi.useFakeTimers()` — before or after the import — can neither stop nor speed them.
 */
export const realTimers = {
  setTimeout: real(timers.setTimeout, "setTimeout"),
  clearTimeout: real(timers.clearTimeout, "clearTimeout"),
  setImmediate: real(timers.setImmediate, "setImmediate"),
};

/** Resolves on the next turn of the event loop (after its timers, I/O and a test runner's timeout). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => realTimers.setImmediate(resolve));
}

/** Deliveries between two yields at most, and real seconds between two yields at most. */
const YIELD_EVERY = 64;
const YIELD_AFTER_S = 0.1;

/**
 * Returns a function to call after every unit of work (a delivery): every {@link YIELD_EVERY} calls,
 * or once 100 ms of real time passed since the last yield, it returns a promise that resolves on the
 * next event-loop turn; otherwise undefined (no await, no cost). The count makes the yield happen on
 * any machine; the time bounds the wait on a slow one. `process.uptime()` is real: fake-timer
 * libraries replace Date, performance and hrtime, not it.
 */
export function yielder(): () => Promise<void> | undefined {
  let count = 0;
  let last = process.uptime();
  return () => {
    if (++count < YIELD_EVERY && process.uptime() - last < YIELD_AFTER_S) return undefined;
    count = 0;
    return yieldToEventLoop().then(() => void (last = process.uptime()));
  };
}
