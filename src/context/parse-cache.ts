import type { Step } from "@upstash/workflow";
import { exactPath } from "./exact-path.js";

/** `BaseLazyStep.tryParsing`: JSON.parse, or the raw string. */
export function tryParsing(value: unknown): unknown {
  try {
    return JSON.parse(value as string);
  } catch {
    return value;
  }
}

/**
 * Parsed recorded `out`s, keyed by the recorded step. The raw `out` is kept with the value, so a
 * step whose `out` was replaced (a history edited between runs) is parsed again.
 */
const PARSED = new WeakMap<Step, { out: string; value: unknown }>();

/**
 * The value user code sees for a recorded `out` string: what `JSON.parse(out)` returns, parsed once
 * per recorded step. A primitive is shared (it is immutable); an object or array is kept as a
 * private template and every call returns a fresh copy (user code may mutate what it gets) with the
 * same key order, own `__proto__` keys kept as own data properties and `-0` kept.
 *
 * @example
 * parseRecorded('{"a":1}', step); // { a: 1 }, a new object on every call
 */
export function parseRecorded(out: string, step: Step): unknown {
  if (exactPath.forced) return tryParsing(out);
  const cached = PARSED.get(step);
  let value: unknown;
  if (cached !== undefined && cached.out === out) {
    value = cached.value;
  } else {
    value = tryParsing(out);
    PARSED.set(step, { out, value });
  }
  return typeof value === "object" && value !== null ? copyJson(value) : value;
}

/** A deep copy of a `JSON.parse` result: plain objects, dense arrays and primitives only. */
function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const copy: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i];
      copy.push(typeof item === "object" && item !== null ? copyJson(item) : item);
    }
    return copy;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = source[key];
    const next = typeof item === "object" && item !== null ? copyJson(item) : item;
    // JSON.parse creates "__proto__" as an own data property; an assignment would set the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: next, writable: true, enumerable: true, configurable: true });
    else copy[key] = next;
  }
  return copy;
}
