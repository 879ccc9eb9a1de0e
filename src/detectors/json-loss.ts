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
  /** Data is lost whatever the code does next (a Map or Set with entries arrives empty). */
  dataLost?: boolean;
  /** Names that code using the original would call and the round-tripped value lacks (methods, functions). */
  callables?: string[];
}

/** At most this many lossy paths are listed for one value. */
const MAX_LOSSES = 20;

/** The first place where `value` changes in the JSON round trip (see {@link findJsonLosses}). */
export function findJsonLoss(value: unknown, path = "$"): JsonLoss | undefined {
  return findJsonLosses(value, path, 1)[0];
}

/** `[object Date]`: true across realms (a vm context, a worker's structuredClone), unlike instanceof. */
function tagOf(value: object): string {
  return Object.prototype.toString.call(value);
}

/**
 * The class of a non-plain object, or undefined for a plain one. An object whose prototype is *an*
 * `Object.prototype` (its own prototype is null and its constructor is the native Object function,
 * see isObjectPrototype) is plain, from whichever realm it comes: jest's vm contexts and worker
 * clones hand out such objects.
 */
function className(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null || isObjectPrototype(proto)) return undefined;
  return proto.constructor?.name || "an anonymous class";
}

/** The method names an instance loses with its class (own prototype chain, up to a plain object). */
function methodsOf(value: object): string[] {
  const names: string[] = [];
  let proto = Object.getPrototypeOf(value) as object | null;
  while (proto && Object.getPrototypeOf(proto) !== null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor" || key === "toJSON") continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor && typeof descriptor.value === "function") names.push(key);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return names;
}

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return "(not serializable)";
  }
}

/**
 * Finds every place (up to `max`) where `value` does not survive `JSON.parse(JSON.stringify(value))`
 * unchanged: Date, Map, Set, class instances, `undefined`/functions/symbols in arrays, NaN and
 * Infinity, BigInt and cycles. Object properties that are `undefined` are dropped by JSON but read
 * back as `undefined` all the same, so they are not reported. Objects from another realm are judged
 * by their tag and prototype shape, not by `instanceof`.
 *
 * @example
 * ```ts
 * findJsonLosses({ at: new Date(0), tags: new Set(["a"]) }).map((l) => l.path); // ["$.at", "$.tags"]
 * ```
 */
export function findJsonLosses(value: unknown, path = "$", max = MAX_LOSSES): JsonLoss[] {
  const ancestors = new Set<object>();
  const losses: JsonLoss[] = [];
  const full = () => losses.length >= max;
  const visit = (v: unknown, p: string, inArray: boolean): JsonLoss | undefined => {
    const loss = visitOne(v, p, inArray);
    if (loss && !full()) losses.push(loss);
    return undefined;
  };
  const visitOne = (v: unknown, p: string, inArray: boolean): JsonLoss | undefined => {
    switch (typeof v) {
      case "bigint":
        return { path: p, what: `a BigInt (${v}n)`, becomes: "nothing: JSON.stringify throws \"Do not know how to serialize a BigInt\"", throws: true };
      case "number":
        return Number.isFinite(v) ? undefined : { path: p, what: String(v), becomes: "null" };
      case "function": {
        const name = p.slice(p.lastIndexOf(".") + 1);
        return inArray || p === "$"
          ? { path: p, what: "a function", becomes: inArray ? "null" : "undefined", callables: [name] }
          : { path: p, what: "a function", becomes: "nothing (the property is dropped)", callables: [name] };
      }
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
    const tag = tagOf(obj);
    if (tag === "[object Date]") {
      const json = jsonOf(obj);
      return { path: p, what: "a Date", becomes: `the string ${preview(json === "null" ? null : safeParse(json))}`, callables: DATE_METHODS };
    }
    if (tag === "[object Map]" || tag === "[object Set]") {
      const size = (obj as { size: number }).size;
      const what = tag === "[object Map]" ? `a Map with ${size} ${size === 1 ? "entry" : "entries"}` : `a Set with ${size} ${size === 1 ? "value" : "values"}`;
      return { path: p, what, becomes: "an empty object {}", ...(size > 0 ? { dataLost: true } : {}), callables: ["get", "has", "forEach", "size", "values", "keys", "entries"] };
    }
    if (Array.isArray(obj)) {
      ancestors.add(obj);
      for (let i = 0; i < obj.length && !full(); i++) {
        if (!(i in obj)) {
          if (!full()) losses.push({ path: childPath(p, i), what: "a hole in a sparse array", becomes: "null" });
          continue;
        }
        visit(obj[i], childPath(p, i), true);
      }
      ancestors.delete(obj);
      return undefined;
    }
    const cls = className(obj);
    if (cls) {
      const methods = methodsOf(obj);
      return {
        path: p,
        what: `an instance of ${cls === "an anonymous class" ? cls : `class ${cls}`}`,
        becomes:
          typeof (obj as { toJSON?: unknown }).toJSON === "function"
            ? `its toJSON() value ${preview(safeParse(jsonOf(obj)))}`
            : `a plain object ${preview(safeParse(jsonOf(obj)))} without its class (no methods, instanceof fails)`,
        ...(methods.length > 0 ? { callables: methods } : {}),
      };
    }
    ancestors.add(obj);
    for (const key of Object.keys(obj)) {
      if (full()) break;
      visit((obj as Record<string, unknown>)[key], childPath(p, key), false);
    }
    ancestors.delete(obj);
    return undefined;
  };
  visit(value, path, false);
  return losses;
}

/** Date methods code commonly calls on a date it got back from a step. */
const DATE_METHODS = ["getTime", "toISOString", "getFullYear", "getMonth", "getDate", "getDay", "getHours", "toLocaleDateString", "toLocaleString", "valueOf", "toDateString"];

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
