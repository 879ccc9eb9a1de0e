import { describe, expect, it } from "vitest";
import { findJsonLoss } from "../../src/detectors/json-loss.js";
import { CORPUS_FILE, caseOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "non-serializable-result";

describe("non-serializable-result", () => {
  it("names the path of a Date inside a step result and what the next delivery sees", async () => {
    const finding = await onlyFinding(kind, "returns a Date nested");
    expect(finding).toMatchObject({ severity: "warning", stepName: "load-user", stepId: 1, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("load-user"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The result of step "load-user" at corpus.ts:<line> is not JSON-serializable at $.user.createdAt: it is a Date. QStash records JSON.stringify(result), so later deliveries see the string "2025-01-01T00:00:00.100Z" where the delivery that ran the step saw the original. Nothing in this run depended on it, so production tolerates it today; it breaks the run as soon as code calls a method on it, branches on its type or reads what was dropped. Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it."`);
  });

  it("reports a Map", async () => {
    const finding = await onlyFinding(kind, "returns a Map");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The result of step "totals" at corpus.ts:<line> is not JSON-serializable at $: it is a Map with 1 entry. It arrives in every later delivery as an empty object {}: its entries are lost, and code after the step reads nothing from it. Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it."`);
  });

  it("reports a BigInt, which fails the delivery before anything is recorded", async () => {
    const result = await runCase(caseOf(kind, "returns a BigInt"));
    expect(result.status).toBe("failed");
    const finding = await onlyFinding(kind, "returns a BigInt");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The result of step "balance" at corpus.ts:<line> is not JSON-serializable at $.cents: it is a BigInt (100000000000000000000n). It makes JSON.stringify throw, so no result is recorded: the delivery fails and the step runs again on every retry until the run fails. Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it."`);
  });

  it("reports a class instance and NaN in an array", async () => {
    const instance = await onlyFinding(kind, "returns a class instance");
    const nan = await onlyFinding(kind, "returns NaN");
    expect([pinned(instance.message), pinned(nan.message)]).toMatchInlineSnapshot(`
      [
        "The result of step "price" at corpus.ts:<line> is not JSON-serializable at $: it is an instance of class Money. QStash records JSON.stringify(result), so later deliveries see a plain object {"amount":5,"currency":"EUR"} without its class (no methods, instanceof fails) where the delivery that ran the step saw the original. Nothing in this run depended on it, so production tolerates it today; it breaks the run as soon as code calls a method on it, branches on its type or reads what was dropped. Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it.",
        "The result of step "ratios" at corpus.ts:<line> is not JSON-serializable at $[1]: it is NaN. QStash records JSON.stringify(result), so later deliveries see null where the delivery that ran the step saw the original. Nothing in this run depended on it, so production tolerates it today; it breaks the run as soon as code calls a method on it, branches on its type or reads what was dropped. Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it.",
      ]
    `);
  });

  it("an error when the code branches on the lost type: the straight-through pass keeps the Date", async () => {
    const finding = await onlyFinding(kind, "branches on instanceof Date");
    expect(finding).toMatchObject({ severity: "error", stepName: "load-due-date" });
    expect(finding.message).toContain(`at step 2 the replayed run issues Run step "skip-reminder", where the same code run straight through (with the original value) issues Run step "schedule-reminder"`);
  });

  it("an error when the output differs", async () => {
    const finding = await onlyFinding(kind, "returns the type of a Date it loaded");
    expect(finding.severity).toBe("error");
    expect(finding.message).toContain(`the replayed run returns "string", where the same code run straight through (with the original value) returns "object"`);
  });

  it("reports the workflow's output", async () => {
    const finding = await onlyFinding(kind, "returns a Date as the workflow's output");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The workflow's return value is not JSON-serializable at $.finishedAt: it is a Date. The SDK sends JSON.stringify(output) when the run completes, so the run's output has the string "2025-01-02T00:00:00.000Z" there. Callers get JSON; nothing is lost that JSON can hold. Return plain JSON from the workflow function."`);
  });

  itStaysCleanOnCorrectCases(kind);
});

describe("findJsonLoss()", () => {
  it("finds every lossy value the JSON round trip changes, with its path", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: unknown[] = [
      { user: { createdAt: new Date(0) } },
      { tags: new Set(["a"]) },
      [1, undefined, 3],
      { "odd-key": [Infinity] },
      { fn: () => 1 },
      [Symbol("s")],
      cyclic,
      { n: 1n },
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
    ];
    expect(cases.map((c) => findJsonLoss(c))).toMatchInlineSnapshot(`
      [
        {
          "becomes": "the string "1970-01-01T00:00:00.000Z"",
          "callables": [
            "getTime",
            "toISOString",
            "getFullYear",
            "getMonth",
            "getDate",
            "getDay",
            "getHours",
            "toLocaleDateString",
            "toLocaleString",
            "valueOf",
            "toDateString",
          ],
          "path": "$.user.createdAt",
          "what": "a Date",
        },
        {
          "becomes": "an empty object {}",
          "callables": [
            "get",
            "has",
            "forEach",
            "size",
            "values",
            "keys",
            "entries",
          ],
          "dataLost": true,
          "path": "$.tags",
          "what": "a Set with 1 value",
        },
        {
          "becomes": "null",
          "path": "$[1]",
          "what": "undefined in an array",
        },
        {
          "becomes": "null",
          "path": "$["odd-key"][0]",
          "what": "Infinity",
        },
        {
          "becomes": "nothing (the property is dropped)",
          "callables": [
            "fn",
          ],
          "path": "$.fn",
          "what": "a function",
        },
        {
          "becomes": "null",
          "path": "$[0]",
          "what": "a symbol",
        },
        {
          "becomes": "nothing: JSON.stringify throws "Converting circular structure to JSON"",
          "path": "$.self",
          "throws": true,
          "what": "a circular reference",
        },
        {
          "becomes": "nothing: JSON.stringify throws "Do not know how to serialize a BigInt"",
          "path": "$.n",
          "throws": true,
          "what": "a BigInt (1n)",
        },
        {
          "becomes": "null",
          "path": "$[1]",
          "what": "a hole in a sparse array",
        },
      ]
    `);
  });

  it("accepts JSON values, undefined properties and shared (non-cyclic) references", () => {
    const shared = { id: 1 };
    for (const value of [null, 1, "s", true, [1, "a", null], { a: undefined, b: { c: [shared, shared] } }, Object.create(null), undefined]) {
      expect(findJsonLoss(value)).toBeUndefined();
    }
  });
});
