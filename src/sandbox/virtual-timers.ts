import { AsyncResource } from "node:async_hooks";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { setImmediate as realSetImmediate } from "node:timers";

/** The virtual clock a delivery runs on: the simulator's `now`. */
export interface VirtualClock {
  now(): number;
  set(ms: number): void;
}

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  run: () => void;
  interval?: number;
}

/** What `setTimeout` returns while a delivery runs: a Node `Timeout` look-alike. */
export class VirtualTimeout {
  constructor(
    readonly id: number,
    private readonly owner: VirtualTimers,
  ) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  refresh(): this {
    this.owner.refresh(this.id);
    return this;
  }
  close(): this {
    this.owner.clear(this.id);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** How `drive()` ended: the work settled, or the deadline came first and the work was stopped. */
export type DriveOutcome = { settled: true } | { settled: false; stoppedAt: number };

const turn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Timers set while a delivery (or a request QStash performs) runs, on the virtual clock: when the work
 * has nothing left to do but wait for a timer, the clock jumps to the earliest one and fires it. Real
 * I/O keeps real time; the harness's own deadlines use timers this class never sees (`node:timers`).
 */
export class VirtualTimers {
  private readonly pending = new Map<number, VirtualTimer>();
  private nextId = 1;
  private seq = 0;
  private wake: (() => void) | undefined;
  /** Set while `drive()` runs: only then are timers virtual. */
  active = false;

  constructor(private readonly clock: VirtualClock) {}

  schedule(callback: (...args: unknown[]) => void, delay: unknown, args: unknown[], repeat: boolean): VirtualTimeout {
    const ms = Math.max(0, Number.isFinite(Number(delay)) ? Math.floor(Number(delay)) : 0);
    const id = this.nextId++;
    const bound = AsyncResource.bind(() => callback(...args));
    const timer: VirtualTimer = { id, at: this.clock.now() + (repeat ? Math.max(1, ms) : ms), seq: this.seq++, run: bound };
    if (repeat) timer.interval = Math.max(1, ms);
    this.pending.set(id, timer);
    this.wake?.();
    return new VirtualTimeout(id, this);
  }

  /** Whether `handle` is one of ours (a `VirtualTimeout` or its numeric id). */
  owns(handle: unknown): boolean {
    if (handle instanceof VirtualTimeout) return true;
    return typeof handle === "number" && this.pending.has(handle);
  }

  clear(handle: unknown): void {
    const id = handle instanceof VirtualTimeout ? handle.id : Number(handle);
    this.pending.delete(id);
  }

  refresh(id: number): void {
    const timer = this.pending.get(id);
    if (timer) {
      timer.at = this.clock.now() + (timer.interval ?? 0);
      timer.seq = this.seq++;
    }
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.pending.values()) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  /**
   * Runs `start()` with virtual timers until the promise it returns settles. Without a pending timer it
   * simply waits; with one, once two event-loop turns pass without the work settling, the clock jumps
   * to the earliest timer. A timer due after `deadline` is not fired: the work is left unfinished and
   * the clock stands at the deadline (the host stops the function there). Leftover timers are dropped.
   */
  async drive(start: () => Promise<unknown>, deadline?: number): Promise<DriveOutcome> {
    if (this.active) throw new Error("[workflow-replay] Internal error: virtual timers are already driven. Please report this.");
    this.active = true;
    try {
      let done = false;
      const work = start().then(
        () => void (done = true),
        () => void (done = true),
      );
      while (!done) {
        if (this.pending.size === 0) {
          await Promise.race([work, new Promise<void>((resolve) => (this.wake = resolve))]);
          this.wake = undefined;
          continue;
        }
        await turn();
        await turn();
        if (done) break;
        const next = this.earliest();
        if (!next) continue;
        if (deadline !== undefined && next.at > deadline) {
          this.clock.set(Math.max(this.clock.now(), deadline));
          return { settled: false, stoppedAt: this.clock.now() };
        }
        this.clock.set(Math.max(this.clock.now(), next.at));
        if (next.interval !== undefined) {
          next.at += next.interval;
          next.seq = this.seq++;
        } else {
          this.pending.delete(next.id);
        }
        try {
          next.run();
        } catch (error) {
          // like an uncaught exception in a timer callback, it does not stop the clock
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      return { settled: true };
    } finally {
      this.pending.clear();
      this.wake = undefined;
      this.active = false;
    }
  }
}

// Builtins resolve from any path; this works in the ESM and the CJS build alike.
const requireBuiltin = createRequire(`${process.cwd()}/`);

type PromiseTimeout = (ms?: number, value?: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;

/** The timers of the replay now running, read by the `node:timers/promises` wrapper. */
let driven: VirtualTimers | undefined;
/** The wrapper installed on `node:timers/promises`, and what it found there. */
let promisesPatch: { wrapper: PromiseTimeout; previous: PromiseTimeout } | undefined;
let timerPromises: Record<string, unknown> | undefined;

/**
 * `node:timers/promises`'s `setTimeout` is a builtin module export: an ESM named import sees a
 * replacement only after `syncBuiltinESMExports()`, which syncs every builtin module and cost about a
 * quarter of a one-step replay when it ran twice per replay. So the wrapper is installed once per
 * process and delegates to what it found whenever no replay drives its timers; it is installed again
 * (and synced) only when something else replaced it in between.
 */
function patchTimerPromises(): void {
  // the builtin's module object is the same on every require: looked up once (a require per replay cost ~5 µs)
  const promises = (timerPromises ??= requireBuiltin("node:timers/promises") as Record<string, unknown>);
  if (promisesPatch !== undefined && promises.setTimeout === promisesPatch.wrapper) return;
  const previous = promises.setTimeout as PromiseTimeout;
  const wrapper: PromiseTimeout = (ms, value, options) => {
    const timers = driven;
    if (timers === undefined || !timers.active) return previous(ms, value, options);
    return new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(signal.reason);
      const handle = timers.schedule(() => resolve(value), ms, [], false);
      signal?.addEventListener("abort", () => {
        timers.clear(handle);
        reject(signal.reason);
      }, { once: true });
    });
  };
  promisesPatch = { wrapper, previous };
  promises.setTimeout = wrapper;
  syncBuiltinESMExports();
}

/**
 * Routes `setTimeout`, `setInterval`, `clearTimeout`, `clearInterval`, `node:timers/promises`'s
 * `setTimeout` and `AbortSignal.timeout` to `timers` while it is driven; otherwise to whatever was
 * installed before (a user's fake timers keep working). Returns the function that restores them
 * (the `node:timers/promises` wrapper stays, delegating: see {@link patchTimerPromises}).
 */
export function installVirtualTimers(timers: VirtualTimers): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const previous = {
    setTimeout: g.setTimeout as (...a: unknown[]) => unknown,
    setInterval: g.setInterval as (...a: unknown[]) => unknown,
    clearTimeout: g.clearTimeout as (h: unknown) => void,
    clearInterval: g.clearInterval as (h: unknown) => void,
  };
  const previousAbortTimeout = AbortSignal.timeout;
  const previousDriven = driven;
  patchTimerPromises();
  driven = timers;

  function setTimeout(this: unknown, callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
    if (!timers.active || typeof callback !== "function") return previous.setTimeout.call(this, callback, delay, ...args);
    return timers.schedule(callback as (...a: unknown[]) => void, delay, args, false);
  }
  function setInterval(this: unknown, callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
    if (!timers.active || typeof callback !== "function") return previous.setInterval.call(this, callback, delay, ...args);
    return timers.schedule(callback as (...a: unknown[]) => void, delay, args, true);
  }
  function clearTimeout(this: unknown, handle: unknown): void {
    if (timers.owns(handle)) timers.clear(handle);
    else previous.clearTimeout.call(this, handle);
  }
  function clearInterval(this: unknown, handle: unknown): void {
    if (timers.owns(handle)) timers.clear(handle);
    else previous.clearInterval.call(this, handle);
  }
  function abortTimeout(ms: number): AbortSignal {
    if (!timers.active) return previousAbortTimeout.call(AbortSignal, ms);
    const controller = new AbortController();
    timers.schedule(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms, [], false);
    return controller.signal;
  }

  g.setTimeout = setTimeout;
  g.setInterval = setInterval;
  g.clearTimeout = clearTimeout;
  g.clearInterval = clearInterval;
  AbortSignal.timeout = abortTimeout;
  return () => {
    g.setTimeout = previous.setTimeout;
    g.setInterval = previous.setInterval;
    g.clearTimeout = previous.clearTimeout;
    g.clearInterval = previous.clearInterval;
    AbortSignal.timeout = previousAbortTimeout;
    driven = previousDriven;
  };
}
