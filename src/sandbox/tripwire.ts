import http from "node:http";
import https from "node:https";

/** An object and the key of an entry point on it (`[http, "request"]`, `[globalThis, "fetch"]`). */
export type EntryPoint = readonly [Record<string, unknown>, string];

/** Every wire ever armed, and the original it stands for. */
const wireOriginals = new WeakMap<Function, Function>();

type Module = Record<string, unknown>;

/** What the ClientRequest interceptor patches: every entry point of `http`/`https` a client calls. */
export const HTTP_ENTRY_POINTS: readonly EntryPoint[] = [
  [http as unknown as Module, "request"],
  [http as unknown as Module, "get"],
  [http as unknown as Module, "ClientRequest"],
  [https as unknown as Module, "request"],
  [https as unknown as Module, "get"],
];

/** What the fetch interceptor patches. */
export const FETCH_ENTRY_POINTS: readonly EntryPoint[] = [[globalThis as unknown as Module, "fetch"]];

/**
 * Applies an interception only when one of its entry points is called while armed (for http:
 * `http.request`, `http.get`, `new http.ClientRequest`, `https.request`, `https.get`; for fetch:
 * `fetch`): `apply()` runs once, and that first call (and every later one) goes on through what
 * `apply()` installed. Most replays make no such request, and applying @mswjs/interceptors costs on
 * every replay: the ClientRequest interceptor patches its five entry points and replaces the global
 * `Headers`, `Request` and `Response` with proxies (code using them deoptimizes), and disposing
 * undoes all of it (decision 1304).
 *
 * Returns the function that disarms the wire (putting the entry points back when it never fired).
 * A wire something else wrapped meanwhile keeps forwarding to the original (that wrapper saw the
 * call before it reached the wire); when the wrapper restores the wire it captured, the wire puts
 * the original back on its next call, and the next arming does before it wires. (The network layer
 * keeps interceptors from wrapping wires at all: it holds their registration until the wire fires.)
 *
 * @example
 * const disarm = armEntryPoints(HTTP_ENTRY_POINTS, () => interceptor.apply());
 * try { await run(); } finally { disarm(); }
 */
export function armEntryPoints(ENTRY_POINTS: readonly EntryPoint[], apply: () => void): () => void {
  if (ENTRY_POINTS.some(([module, key]) => typeof module[key] !== "function")) {
    apply(); // nothing to wire (no global fetch): applied now, undone by the caller as before
    return () => {};
  }
  let armed = true;
  const originals = ENTRY_POINTS.map(([module, key]) => {
    const current = module[key] as Function;
    // a wire of an earlier replay that an interceptor restored over the original (see heal)
    const original = wireOriginals.get(current) ?? current;
    if (original !== current) module[key] = original;
    return original;
  });
  /** What `apply()` put at each entry point (when it patched it), for the wire to forward to. */
  const applied: Array<Function | undefined> = [];
  const wires = ENTRY_POINTS.map(([module, key], i) => {
    const original = originals[i]!;
    const forwardTo = (): Function => {
      // heal: an interceptor applied over the armed wire restores the wire when disposed
      if (!armed && module[key] === wire) putBack();
      const via = applied[i];
      return via !== undefined && module[key] === via ? via : original;
    };
    const wire: Function = new Proxy(original, {
      apply(_target, thisArg, args) {
        fire();
        return Reflect.apply(forwardTo(), thisArg, args);
      },
      construct(_target, args, newTarget) {
        fire();
        const target = forwardTo();
        return Reflect.construct(target, args, newTarget === wire ? target : newTarget);
      },
    });
    wireOriginals.set(wire, original);
    return wire;
  });
  /** Puts the originals back where a wire still is; returns which entry points it restored. */
  const putBack = (): boolean[] =>
    ENTRY_POINTS.map(([module, key], i) => {
      if (module[key] !== wires[i]) return false;
      module[key] = originals[i];
      return true;
    });
  function fire(): void {
    if (!armed) return;
    armed = false;
    const restored = putBack(); // the interceptor must capture the real entry points, not the wires
    try {
      apply();
    } finally {
      // only where the wire was put back can a change be apply()'s (elsewhere someone else patched over it)
      ENTRY_POINTS.forEach(([module, key], i) => {
        const now = module[key] as Function;
        if (restored[i] && now !== originals[i]) applied[i] = now;
      });
    }
  }
  ENTRY_POINTS.forEach(([module, key], i) => {
    module[key] = wires[i];
  });
  return () => {
    if (!armed) return;
    armed = false;
    putBack();
  };
}
