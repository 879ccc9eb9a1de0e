import { Prng } from "../util/prng.js";
import { realTimers } from "./real-timers.js";
import { fencedFrame } from "./scope.js";

/** A global read whose value is not recorded by the workflow's history. */
export type NondeterministicSource =
  | "Math.random"
  | "Date.now"
  | "new Date()"
  | "crypto.randomUUID"
  | "crypto.getRandomValues"
  | "performance.now";

/** The originals, captured once at module load (never patched at import time). */
export const originals = {
  random: Math.random,
  Date: globalThis.Date,
  dateNow: Date.now,
  crypto: globalThis.crypto,
  randomUUID: globalThis.crypto.randomUUID,
  getRandomValues: globalThis.crypto.getRandomValues,
  performance: globalThis.performance,
  performanceNow: globalThis.performance.now,
  fetch: globalThis.fetch,
  // the harness's own deadlines: never a fake-timer library's (see real-timers.ts)
  setTimeout: realTimers.setTimeout as typeof globalThis.setTimeout,
  clearTimeout: realTimers.clearTimeout as typeof globalThis.clearTimeout,
};

/** What the patched globals read from: the run's clock, its seeded stream, and where reads are reported. */
export interface GlobalsController {
  /** Virtual now, ms since the epoch. */
  now(): number;
  /** Virtual time origin for performance.now(). */
  origin: number;
  prng: Prng;
  onRead(source: NondeterministicSource): void;
}

/**
 * Values the patched globals return instead of the run's own while {@link PatchedGlobals.withVariant}
 * runs (a perturbation pass): reads are still reported through `onRead`.
 */
export interface GlobalsVariant {
  /** What Math.random() returns; crypto.getRandomValues() fills every byte from it too. */
  random: number;
  /** Added to the virtual clock (Date, new Date(), performance.now()), in ms. */
  offset: number;
  /** What crypto.randomUUID() returns. */
  uuid: () => string;
}

/** The patched globals of one sandbox: undone by `restore()`. */
export interface PatchedGlobals {
  /** Puts the originals back (idempotent per patch). */
  restore(): void;
  /**
   * Runs `fn` with the user's stream and clock replaced by `variant`, and puts them back when its
   * promise settles (the harness's own draws are never affected).
   *
   * @example
   * ```ts
   * const globals = patchGlobals(ctrl);
   * await globals.withVariant({ random: 1e-9, offset: 86_400_000, uuid: () => prng.uuid() }, () => rerun());
   * globals.restore();
   * ```
   */
  withVariant<T>(variant: GlobalsVariant, fn: () => Promise<T>): Promise<T>;
}

let patched = false;

/**
 * Libraries of the harness's own machinery that draw random numbers for themselves: msw's
 * interceptors (a request id per intercepted request) and the SDK and its QStash client (message
 * and run ids). The two drivers make different numbers of such requests (replayHandler() also
 * intercepts the SDK's QStash traffic), so their draws come from a stream of their own and the
 * user's stream is drawn identically in both drivers (decision 1501).
 */
const OWN_DRAWERS = /[\\/]node_modules[\\/](?:@mswjs[\\/]interceptors|msw|@upstash[\\/]workflow|@upstash[\\/]qstash)[\\/]/;

/** Whether the caller of the patched function (two frames up) is one of {@link OWN_DRAWERS}. Cheap: a 3-frame stack. */
function drawnByMachinery(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 3;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  if (!stack) return false;
  const lines = stack.split("\n");
  const caller = lines[3];
  return caller !== undefined && OWN_DRAWERS.test(caller);
}

/** Own-property patch of `target[key]`, undone by the returned function. */
function patchOwn(target: object, key: string, value: unknown): () => void {
  const had = Object.prototype.hasOwnProperty.call(target, key);
  const previous = had ? Object.getOwnPropertyDescriptor(target, key) : undefined;
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
  return () => {
    if (previous) Object.defineProperty(target, key, previous);
    else delete (target as Record<string, unknown>)[key];
  };
}

/**
 * Replaces Math.random, Date, crypto.randomUUID/getRandomValues and performance.now with seeded,
 * virtual-clock versions that report every read. `restore()` on the result puts the originals back.
 *
 * @example
 * ```ts
 * const globals = patchGlobals({ now: () => sim.now, origin: start, prng: new Prng(seed), onRead() {} });
 * try { await run(); } finally { globals.restore(); }
 * ```
 */
export function patchGlobals(ctrl: GlobalsController): PatchedGlobals {
  if (patched) throw new Error("[workflow-replay] Internal error: globals are already patched. Please report this.");
  patched = true;
  const OriginalDate = originals.Date;
  const restorers: Array<() => void> = [];
  const machinery = new Prng(0x6d616368);
  let variant: GlobalsVariant | undefined;
  const virtualNow = () => (variant ? ctrl.now() + variant.offset : ctrl.now());

  restorers.push(
    patchOwn(Math, "random", function random() {
      // work an ended replay abandoned neither draws from this replay's stream nor is reported
      if (fencedFrame()) return originals.random();
      if (drawnByMachinery()) return machinery.next();
      ctrl.onRead("Math.random");
      return variant ? variant.random : ctrl.prng.next();
    }),
  );

  const now = () => {
    if (fencedFrame()) return originals.dateNow();
    ctrl.onRead("Date.now");
    return virtualNow();
  };
  const VirtualDate: DateConstructor = new Proxy(OriginalDate, {
    construct(target, args, newTarget): object {
      if (args.length === 0 && !fencedFrame()) {
        ctrl.onRead("new Date()");
        return Reflect.construct(target, [virtualNow()], newTarget === VirtualDate ? target : newTarget);
      }
      return Reflect.construct(target, args, newTarget === VirtualDate ? target : newTarget);
    },
    apply() {
      if (fencedFrame()) return new OriginalDate().toString();
      ctrl.onRead("new Date()");
      return new OriginalDate(virtualNow()).toString();
    },
    get(target, key, receiver) {
      if (key === "now") return now;
      return Reflect.get(target, key, receiver);
    },
  });
  const previousDate = globalThis.Date;
  globalThis.Date = VirtualDate as DateConstructor;
  restorers.push(() => {
    globalThis.Date = previousDate;
  });

  const cryptoObj = originals.crypto;
  restorers.push(
    patchOwn(cryptoObj, "randomUUID", function randomUUID() {
      if (fencedFrame()) return originals.randomUUID.call(cryptoObj);
      if (drawnByMachinery()) return machinery.uuid();
      ctrl.onRead("crypto.randomUUID");
      return variant ? variant.uuid() : ctrl.prng.uuid();
    }),
  );
  restorers.push(
    patchOwn(cryptoObj, "getRandomValues", function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
      if (fencedFrame()) return originals.getRandomValues.call(cryptoObj, array as never) as T;
      const own = drawnByMachinery();
      if (!own) ctrl.onRead("crypto.getRandomValues");
      if (array && ArrayBuffer.isView(array)) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        // a variant's bytes are what Prng.fill draws from a constant next(): floor(random * 256)
        if (!own && variant) bytes.fill(Math.floor(variant.random * 256));
        else (own ? machinery : ctrl.prng).fill(bytes);
      }
      return array;
    }),
  );
  const performanceNow = function performanceNow() {
    if (fencedFrame()) return originals.performanceNow.call(originals.performance);
    ctrl.onRead("performance.now");
    return virtualNow() - ctrl.origin;
  };
  restorers.push(patchOwn(originals.performance, "now", performanceNow));
  // A fake-timer library installs a `performance` of its own: virtual whenever Date is, so that one too.
  const current = globalThis.performance as Performance | undefined;
  if (current && current !== originals.performance && typeof current === "object") {
    try {
      restorers.push(patchOwn(current, "now", performanceNow));
    } catch {
      // a frozen performance object: nothing to patch
    }
  }

  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      for (const restore of restorers.reverse()) {
        try {
          restore();
        } catch {
          // keep restoring the rest
        }
      }
      patched = false;
    },
    async withVariant(next, fn) {
      const previous = variant;
      variant = next;
      try {
        return await fn();
      } finally {
        variant = previous;
      }
    },
  };
}
