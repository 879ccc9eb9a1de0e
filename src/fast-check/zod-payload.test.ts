import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodPayload } from "./zod-payload.js";

describe("zodPayload", () => {
  it("generates only values the schema accepts, for every supported type", () => {
    const schema = z.object({
      name: z.string().min(2).max(5),
      count: z.number().int().min(0).max(9),
      id: z.int(),
      ratio: z.number().positive().lt(1),
      active: z.boolean(),
      kind: z.enum(["a", "b"]),
      fixed: z.literal("k"),
      tags: z.array(z.string()).min(1).max(3),
      pair: z.tuple([z.string(), z.number()]),
      note: z.string().optional(),
      parent: z.number().nullable(),
      either: z.union([z.string(), z.number()]),
      email: z.email(),
      uuid: z.uuid(),
      url: z.url(),
      at: z.iso.datetime(),
      code: z.string().regex(/^[A-Z]{3}-\d{2}$/),
      level: z.string().default("info"),
      nothing: z.null(),
    });
    fc.assert(
      fc.property(zodPayload(schema), (value) => {
        expect(schema.safeParse(value).success).toBe(true);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it("leaves optional keys out sometimes and fills them other times", () => {
    const values = fc.sample(zodPayload(z.object({ note: z.string().optional() })), { seed: 2, numRuns: 100 });
    expect(values.some((v) => !("note" in v))).toBe(true);
    expect(values.some((v) => typeof v.note === "string")).toBe(true);
  });

  it("shrinks to the simplest valid value", () => {
    const schema = z.object({ pipeline: z.array(z.enum(["fetch", "email"])).min(1), retries: z.int().min(0).max(5) });
    const details = fc.check(fc.property(zodPayload(schema), (v) => v.pipeline.length < 3), { seed: 4 });
    expect(details.counterexample).toEqual([{ pipeline: ["fetch", "fetch", "fetch"], retries: 0 }]);
  });

  it("names an unsupported zod type and says what to do", () => {
    expect(() => zodPayload(z.object({ when: z.date() }))).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to derive a payload arbitrary from the zod schema: the zod type "date" is not supported (supported: object, string, number, int, boolean, enum, literal, array, tuple, optional, nullable, default, union, null, pipe). Pass a fast-check arbitrary for that part instead, e.g. fc.record({ ... }).]`);
    expect(() => zodPayload({} as never)).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to derive a payload arbitrary: expected a zod 4 schema, got object. Pass a schema made with zod 4 (z.object(...)).]`);
  });
});
