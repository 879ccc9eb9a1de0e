import { isObjectPrototype } from "../util/plain-object.js";
import { childPath, preview } from "./describe.js";

/** Where and how a value changes in the JSON round trip QStash applies to step results. */
export interface JsonLoss {
  /** `$.user.createdAt` */
  path: string;
  /** What the value is: "a Date", "a Map with 2 entries", "NaN"... */
  what: string;
  /** What the next delivery sees instead. */
  becomes: string;
  /** JSON.stringify throws for it (BigInt, cycle): nothing is recorded and the step runs again. */
  throws?: boolean;
}

function className(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null || isObjectPrototype(proto)) return undefined;
  return proto.constructor?.name || "an anonymous class";
}

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return "(not serializable)";
  }
}

/**
 * Finds the first place where `value` does not survive `JSON.parse(JSON.stringify(value))`
 * unchanged: Date, Map, Set, class instances, `undefined`/functions/symbols in arrays, NaN and
 * Infinity, BigInt and cycles. Object properties that are `undefined` are dropped by JSON but read
 * back as `undefined` all the same, so they are not reported.
 */
export function findJsonLoss(value: unknown, path = "$"): JsonLoss | undefined {
  const ancestors = new Set<object>();
  const visit = (v: unknown, p: string, inArray: boolean): JsonLoss | undefined => {
    switch (typeof v) {
      case "bigint":
        return { path: p, what: `a BigInt (${v}n)`, becomes: "nothing: JSON.stringify throws \"Do not know how to serialize a BigInt\"", throws: true };
      case "number":
        return Number.isFinite(v) ? undefined : { path: p, what: String(v), becomes: "null" };
      case "function":
        return inArray || p === "$"
          ? { path: p, what: "a function", becomes: inArray ? "null" : "undefined" }
          : { path: p, what: "a function", becomes: "nothing (the property is dropped)" };
      case "symbol":
        return inArray || p === "$" ? { path: p, what: "a symbol", becomes: inArray ? "null" : "undefined" } : undefined;
      case "undefined":
        return inArray ? { path: p, what: "undefined in an array", becomes: "null" } : undefined;
      case "object":
        break;
      default:
        return undefined;
    }
    if (v === null) return undefined;
    const obj = v as object;
    if (ancestors.has(obj)) {
      return { path: p, what: "a circular reference", becomes: "nothing: JSON.stringify throws \"Converting circular structure to JSON\"", throws: true };
    }
    if (obj instanceof Date) {
      return { path: p, what: "a Date", becomes: `the string ${preview(jsonOf(obj) === "null" ? null : obj.toJSON())}` };
    }
    if (obj instanceof Map) return { path: p, what: `a Map with ${obj.size} ${obj.size === 1 ? "entry" : "entries"}`, becomes: "an empty object {}" };
    if (obj instanceof Set) return { path: p, what: `a Set with ${obj.size} ${obj.size === 1 ? "value" : "values"}`, becomes: "an empty object {}" };
    if (Array.isArray(obj)) {
      ancestors.add(obj);
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) {
          ancestors.delete(obj);
          return { path: childPath(p, i), what: "a hole in a sparse array", becomes: "null" };
        }
        const loss = visit(obj[i], childPath(p, i), true);
        if (loss) {
          ancestors.delete(obj);
          return loss;
        }
      }
      ancestors.delete(obj);
      return undefined;
    }
    const cls = className(obj);
    if (cls) {
      return {
        path: p,
        what: `an instance of ${cls === "an anonymous class" ? cls : `class ${cls}`}`,
        becomes:
          typeof (obj as { toJSON?: unknown }).toJSON === "function"
            ? `its toJSON() value ${preview(safeParse(jsonOf(obj)))}`
            : `a plain object ${preview(safeParse(jsonOf(obj)))} without its class (no methods, instanceof fails)`,
      };
    }
    ancestors.add(obj);
    for (const key of Object.keys(obj)) {
      const loss = visit((obj as Record<string, unknown>)[key], childPath(p, key), false);
      if (loss) {
        ancestors.delete(obj);
        return loss;
      }
    }
    ancestors.delete(obj);
    return undefined;
  };
  return visit(value, path, false);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
