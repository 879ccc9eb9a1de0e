import type { DeliveryEndEvent } from "../engine/observer.js";
import type { DetectorFactory } from "./detector.js";
import { isObjectPrototype } from "../util/plain-object.js";
import { childPath, preview, stableJson } from "./describe.js";

interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

const MISSING = Symbol("missing");

function show(value: unknown): string {
  return value === MISSING ? "absent" : preview(value, 40);
}

/** The first path where `after` differs from `before` (the payload as parsed, and as the route left it). */
function firstChange(before: unknown, after: unknown, path: string, seen = new Set<object>()): Change | undefined {
  if (Object.is(before, after)) return undefined;
  if (before === null || after === null || typeof before !== "object" || typeof after !== "object") {
    return { path, before, after };
  }
  if (seen.has(after)) return undefined;
  seen.add(after);
  if (before instanceof Date || after instanceof Date) {
    return before instanceof Date && after instanceof Date && before.getTime() === after.getTime() ? undefined : { path, before, after };
  }
  if (Array.isArray(before) !== Array.isArray(after)) return { path, before, after };
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const change = firstChange(i < before.length ? before[i] : MISSING, i < after.length ? after[i] : MISSING, childPath(path, i), seen);
      if (change) return change;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(before) as object | null;
  if (proto !== null && !isObjectPrototype(proto)) {
    return stableJson(before) === stableJson(after) ? undefined : { path, before, after };
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const b = Object.prototype.hasOwnProperty.call(before, key) ? (before as Record<string, unknown>)[key] : MISSING;
    const a = Object.prototype.hasOwnProperty.call(after, key) ? (after as Record<string, unknown>)[key] : MISSING;
    const change = firstChange(b, a, childPath(path, key), seen);
    if (change) return change;
  }
  return undefined;
}

/**
 * `payload-mutation`: `context.requestPayload` was changed during a delivery (inside or outside a
 * step). QStash sends the original payload with every delivery, so the change is lost at the next
 * one. Compared at the end of each delivery against a fresh parse of the raw payload.
 */
export const payloadMutation: DetectorFactory = (ctx) => ({
  kind: "payload-mutation",
  deliveryEnd(event: DeliveryEndEvent) {
    const payload = event.payload;
    if (payload === null || typeof payload !== "object") return;
    let original: unknown;
    try {
      original = event.reparse ? event.reparse() : event.rawPayload === undefined ? undefined : JSON.parse(event.rawPayload);
    } catch {
      return;
    }
    const change = firstChange(original, payload, "$");
    if (!change) return;
    const what =
      change.before === MISSING
        ? `${change.path} was added (${show(change.after)})`
        : change.after === MISSING
          ? `${change.path} was removed (it was ${show(change.before)})`
          : `${change.path} was ${show(change.before)} and is now ${show(change.after)}`;
    ctx.report(
      {
        message:
          `context.requestPayload was changed during delivery ${event.invocation}: ${what}. ` +
          `QStash sends the original payload with every delivery, so the change is lost at the next delivery (and the auth dry run already ran on the same object). ` +
          `Treat the payload as read-only: copy it first (const input = structuredClone(context.requestPayload)), or compute the new value in a step and use the step's result.`,
        invocation: event.invocation,
        hint: `Each delivery parses the payload afresh from the original request body; nothing written to it is recorded.`,
        expected: change.before === MISSING ? undefined : change.before,
        received: change.after === MISSING ? undefined : change.after,
      },
      change.path,
    );
  },
});
