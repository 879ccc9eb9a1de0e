import type { ReplayObserver } from "../engine/observer.js";
import { userLocation } from "../sandbox/location.js";
import { currentFrame } from "../sandbox/scope.js";

/** The owner object of a replay's scope frames: it carries the replay's observer, so a tracked call finds it. */
export interface ObservedOwner {
  readonly observer?: ReplayObserver | undefined;
}

/** Options of {@link trackEffects}. */
export interface TrackEffectsOptions {
  /**
   * The idempotency key a call carries, if any (for the `non-idempotent-step` check): a call that
   * passes the same key in every delivery is idempotent.
   */
  idempotencyKey?: (method: string, args: unknown[]) => string | undefined;
}

const proxies = new WeakMap<object, Map<string, object>>();

function report(target: string, args: unknown[], options: TrackEffectsOptions): void {
  const frame = currentFrame();
  if (!frame || frame.harness) return;
  const observer = (frame.owner as ObservedOwner).observer;
  if (!observer?.effectSeen) return;
  const key = options.idempotencyKey?.(target, args);
  observer.effectSeen({ frame, target, location: userLocation, ...(key !== undefined ? { idempotencyKey: key } : {}) });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function wrap<T extends object>(object: T, path: string, options: TrackEffectsOptions): T {
  let byPath = proxies.get(object);
  const cached = byPath?.get(path);
  if (cached) return cached as T;
  const methods = new Map<PropertyKey, Function>();
  const proxy = new Proxy(object, {
    get(target, key) {
      // the receiver is the original object, so getters and private fields keep working
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof key === "symbol") return value;
      if (typeof value === "function") {
        let method = methods.get(key);
        if (!method) {
          const name = join(path, key);
          const original = value as (...args: unknown[]) => unknown;
          method = function tracked(this: unknown, ...args: unknown[]) {
            report(name, args, options);
            return Reflect.apply(original, this === proxy || this === undefined ? target : this, args);
          };
          methods.set(key, method);
        }
        return method;
      }
      if (value !== null && typeof value === "object" && isPlainContainer(value)) return wrap(value, join(path, key), options);
      return value;
    },
  });
  if (!byPath) {
    byPath = new Map();
    proxies.set(object, byPath);
  }
  byPath.set(path, proxy);
  return proxy;
}

/** Objects whose methods are reached by property access (clients, namespaces); not data like Date or Map. */
function isPlainContainer(value: object): boolean {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  if (value instanceof Date || value instanceof Map || value instanceof Set || value instanceof Promise || value instanceof RegExp) return false;
  return true;
}

function defaultName(object: object): string {
  const ctor = (Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor && ctor !== "Object" ? ctor : "";
}

/**
 * Watches an object whose methods have effects the network layer cannot see (a database client, a
 * mailer, a queue): returns a proxy that reports every method call made during a replay. A call
 * outside a step is a `side-effect-outside-step` finding (it repeats on every delivery, and twice
 * before the first step); a call inside a step that runs again is a `non-idempotent-step` finding.
 * Outside a replay, and inside steps that run once, the proxy only forwards the calls.
 *
 * Nested objects reached by property access are tracked too (`prisma.user.create` is reported as
 * `prisma.user.create`); values returned by calls are not wrapped.
 *
 * @param object the object to watch; with `trackEffects({ db, mailer })` the names are `db.insert`, `mailer.send`.
 * @param name prefix of the reported names (default: the class name, or none for a plain object).
 *
 * @example
 * ```ts
 * import { replay, trackEffects } from "workflow-replay";
 *
 * const { db } = trackEffects({ db: realDb });
 * const result = await replay(async (context) => {
 *   await db.audit("started"); // outside a step: reported, with this line's location
 *   await context.run("save", () => db.insert(context.requestPayload)); // inside a step: fine
 * });
 * ```
 */
export function trackEffects<T extends object>(object: T, name?: string, options: TrackEffectsOptions = {}): T {
  if (object === null || (typeof object !== "object" && typeof object !== "function")) {
    throw new TypeError(
      `[workflow-replay] Failed to track effects: trackEffects() takes an object whose methods have effects, got ${object === null ? "null" : typeof object}. Pass the client itself, e.g. trackEffects(db, "db").`,
    );
  }
  return wrap(object, name ?? defaultName(object), options);
}
