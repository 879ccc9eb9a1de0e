import {
  array,
  boolean,
  constant,
  constantFrom,
  date,
  double,
  integer,
  oneof,
  option,
  record,
  string,
  stringMatching,
  tuple,
  uuid,
  type Arbitrary,
} from "fast-check";
import { ReplayUsageError } from "../errors.js";

/** The part of a zod 4 schema this module reads (classic `zod` and `zod/mini` both have it). */
export interface ZodSchemaLike {
  _zod: { def: ZodDef };
  safeParse?: (value: unknown) => { success: boolean };
}

interface ZodDef {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  format?: string;
  pattern?: RegExp;
  shape?: Record<string, ZodSchemaLike>;
  element?: ZodSchemaLike;
  innerType?: ZodSchemaLike;
  options?: ZodSchemaLike[];
  items?: ZodSchemaLike[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: ZodSchemaLike;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  length?: number;
}

/** The zod types {@link zodPayload} covers. */
export const SUPPORTED_ZOD_TYPES = [
  "object",
  "string",
  "number",
  "int",
  "boolean",
  "enum",
  "literal",
  "array",
  "tuple",
  "optional",
  "nullable",
  "default",
  "union",
  "null",
  "pipe",
] as const;

/** Lower-case letters and digits: simple parts that every email and URL validator accepts. */
const ALNUM = constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split(""));
const label = (max: number) => string({ unit: ALNUM, minLength: 1, maxLength: max });
const hostname = tuple(label(10), constantFrom("com", "io", "dev", "org")).map(([name, tld]) => `${name}.${tld}`);
// fc.emailAddress() and fc.webUrl() follow the RFCs, which zod's checks are stricter than (and webUrl is slow)
const EMAIL = tuple(label(12), hostname).map(([local, host]) => `${local}@${host}`);
const URL_ARB = tuple(hostname, array(label(8), { maxLength: 3 })).map(([host, path]) => `https://${host}/${path.join("/")}`);

const INT_RANGES: Record<string, [number, number]> = {
  safeint: [-(2 ** 31), 2 ** 31 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 31 - 1],
};

function checksOf(def: ZodDef): CheckDef[] {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  // z.int(), z.email()... carry their format check on the schema itself
  if (def.format) checks.push({ check: def.type === "number" ? "number_format" : "string_format", format: def.format, pattern: def.pattern });
  return checks;
}

function numberArbitrary(def: ZodDef): Arbitrary<number> {
  let min: number | undefined;
  let max: number | undefined;
  let minExcluded = false;
  let maxExcluded = false;
  let intRange: [number, number] | undefined;
  for (const c of checksOf(def)) {
    if (c.check === "number_format" && c.format && INT_RANGES[c.format]) intRange = INT_RANGES[c.format];
    else if (c.check === "greater_than" && c.value !== undefined) [min, minExcluded] = [c.value, c.inclusive === false];
    else if (c.check === "less_than" && c.value !== undefined) [max, maxExcluded] = [c.value, c.inclusive === false];
  }
  if (intRange) {
    const lo = min === undefined ? intRange[0] : Math.ceil(minExcluded ? Math.floor(min) + 1 : min);
    const hi = max === undefined ? intRange[1] : Math.floor(maxExcluded ? Math.ceil(max) - 1 : max);
    return integer({ min: Math.max(lo, -Number.MAX_SAFE_INTEGER), max: Math.min(hi, Number.MAX_SAFE_INTEGER) });
  }
  return double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(min !== undefined ? { min, minExcluded } : {}),
    ...(max !== undefined ? { max, maxExcluded } : {}),
  }).map((n) => (Object.is(n, -0) ? 0 : n));
}

function stringArbitrary(def: ZodDef): Arbitrary<string> {
  let minLength = 0;
  let maxLength: number | undefined;
  let format: CheckDef | undefined;
  for (const c of checksOf(def)) {
    if (c.check === "min_length" && c.minimum !== undefined) minLength = c.minimum;
    else if (c.check === "max_length" && c.maximum !== undefined) maxLength = c.maximum;
    else if (c.check === "length_equals" && c.length !== undefined) [minLength, maxLength] = [c.length, c.length];
    else if (c.check === "string_format") format = c;
  }
  const lengthOk = (s: string) => s.length >= minLength && (maxLength === undefined || s.length <= maxLength);
  if (format) {
    let base: Arbitrary<string>;
    switch (format.format) {
      case "email":
        base = EMAIL;
        break;
      case "uuid":
      case "guid":
        base = uuid();
        break;
      case "url":
        base = URL_ARB;
        break;
      case "datetime":
        base = date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
        break;
      default:
        if (!format.pattern) throw unsupported(`string format "${format.format}"`);
        base = stringMatching(format.pattern);
    }
    return minLength > 0 || maxLength !== undefined ? base.filter(lengthOk) : base;
  }
  return string({ minLength, ...(maxLength !== undefined ? { maxLength } : { maxLength: Math.max(minLength, 20) }) });
}

function arrayArbitrary(def: ZodDef): Arbitrary<unknown[]> {
  let minLength = 0;
  let maxLength: number | undefined;
  for (const c of checksOf(def)) {
    if (c.check === "min_length" && c.minimum !== undefined) minLength = c.minimum;
    else if (c.check === "max_length" && c.maximum !== undefined) maxLength = c.maximum;
    else if (c.check === "length_equals" && c.length !== undefined) [minLength, maxLength] = [c.length, c.length];
  }
  return array(build(def.element!), { minLength, maxLength: maxLength ?? Math.max(minLength, 10) });
}

function unsupported(what: string): ReplayUsageError {
  return new ReplayUsageError(
    `Failed to derive a payload arbitrary from the zod schema: ${what} is not supported (supported: ${SUPPORTED_ZOD_TYPES.join(", ")}). Pass a fast-check arbitrary for that part instead, e.g. fc.record({ ... }).`,
  );
}

function isOptional(schema: ZodSchemaLike): boolean {
  const type = schema._zod.def.type;
  return type === "optional" || type === "default";
}

function build(schema: ZodSchemaLike): Arbitrary<unknown> {
  const def = schema?._zod?.def;
  if (!def || typeof def.type !== "string") {
    throw new ReplayUsageError(`Failed to derive a payload arbitrary: expected a zod 4 schema, got ${schema === null ? "null" : typeof schema}. Pass a schema made with zod 4 (z.object(...)).`);
  }
  switch (def.type) {
    case "object": {
      const shape = def.shape ?? {};
      const model: Record<string, Arbitrary<unknown>> = {};
      const requiredKeys: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        const optional = isOptional(value);
        model[key] = optional ? build(value._zod.def.innerType!) : build(value);
        if (!optional) requiredKeys.push(key);
      }
      return record(model, { requiredKeys });
    }
    case "string":
      return stringArbitrary(def);
    case "number":
      return numberArbitrary(def);
    case "boolean":
      return boolean();
    case "null":
      return constant(null);
    case "enum": {
      const values = Object.values(def.entries ?? {});
      if (values.length === 0) throw unsupported("an empty enum");
      return constantFrom(...values);
    }
    case "literal": {
      const values = def.values ?? [];
      if (values.length === 0) throw unsupported("an empty literal");
      return constantFrom(...values);
    }
    case "array":
      return arrayArbitrary(def);
    case "tuple":
      return tuple(...(def.items ?? []).map(build));
    case "optional":
      return option(build(def.innerType!), { nil: undefined });
    case "nullable":
      return option(build(def.innerType!), { nil: null });
    case "default":
      return build(def.innerType!);
    case "union":
      return oneof(...(def.options ?? []).map(build));
    case "pipe":
      return build(def.in!);
    default:
      throw unsupported(`the zod type "${def.type}"`);
  }
}

/**
 * A payload arbitrary derived from a zod 4 schema (the one the workflow passes to
 * `serve({ schema })`). Covers object, string (length bounds; email, uuid, url, datetime and regex
 * formats; emails and URLs come from a simple generator every validator accepts), number and int (bounds), boolean, enum, literal, array (length bounds), tuple,
 * optional, nullable, default, union, null and pipe (its input side). Other types throw and name
 * themselves; refinements (`.refine`, `.superRefine`) are not generated, they are filtered by the
 * schema's own `safeParse`, so keep them rarely-failing or write that part as an arbitrary.
 * No maintained library maps zod 4 to fast-check 4 yet (zod-fast-check supports zod 3 and
 * fast-check 3), hence this small one.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { zodPayload } from "workflow-replay/fast-check";
 *
 * const schema = z.object({ pipeline: z.array(z.enum(["fetch", "summarize", "email"])).max(5) });
 * const payload = zodPayload(schema); // fc.Arbitrary<{ pipeline: ("fetch" | "summarize" | "email")[] }>
 * ```
 */
export function zodPayload<TSchema extends { _zod: { output: unknown } }>(schema: TSchema): Arbitrary<TSchema["_zod"]["output"]> {
  const s = schema as unknown as ZodSchemaLike;
  const arbitrary = build(s) as Arbitrary<TSchema["_zod"]["output"]>;
  return typeof s.safeParse === "function" ? arbitrary.filter((value) => s.safeParse!(value).success) : arbitrary;
}
