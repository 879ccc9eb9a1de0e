// Step handles: whether user code consumed a step promise, and marking it handled (see track()).
import type { Executor, StepHandle } from "./executor.js";

const noop = () => {};

/**
 * Marks a step promise as handled (an unawaited step's abort must never crash the test process) and,
 * for steps at the history frontier, records whether user code consumed it: `await`, `Promise.all`
 * and `.then` all read `constructor`, which this own getter observes without adding microtask ticks.
 *
 * A handle created with `lazy: true` (context.run, the method a memoized replay visits most) is
 * marked handled only when its step fails: the method's own catch calls `suppress(handle)`. That
 * saves a promise and a microtask job per memoized visit. Frontier steps are marked at once, before
 * the `constructor` getter exists (`then` reads `constructor`, and a late read would count as awaited).
 */
export function track<T>(promise: Promise<T>, handle: StepHandle, executor: Pick<Executor, "observes"> | undefined): Promise<T> {
  if (!executor || !executor.observes(handle)) {
    handle.awaited = true;
    if (!handle.lazy || handle.failed) promise.then(undefined, noop);
    else handle.promise = promise;
    return promise;
  }
  promise.then(undefined, noop);
  Object.defineProperty(promise, "constructor", {
    get() {
      handle.awaited = true;
      return Promise;
    },
    configurable: true,
  });
  return promise;
}

/** Every handle has the same shape (the executor reads them on every visit). */
export function newHandle(entry: Function, lazy: boolean): StepHandle {
  return { awaited: false, position: undefined, entry, lazy, promise: undefined, failed: false };
}

/** A lazy handle's step failed: marks its promise handled (still pending: the caller's promise rejects after this). */
export function suppress(handle: StepHandle): void {
  if (handle.promise) {
    handle.promise.then(undefined, noop);
    handle.promise = undefined;
  } else {
    // Failed before `track` saw the promise (a synchronous throw: track marks it now), or a frontier
    // handle, which track marked at once.
    handle.failed = true;
  }
}
