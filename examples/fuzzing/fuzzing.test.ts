import { readFileSync } from "node:fs";
import { test } from "@fast-check/vitest";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { assertReplayProperty, faults, replayProperty, zodPayload } from "workflow-replay/fast-check";
import { runs } from "../../test/run-counts.js";
import { route, schema } from "./workflow.js";

const handlers = [http.post("https://mail.example.test/send", () => HttpResponse.json({ queued: true }))];

const property = replayProperty(
  route,
  { payload: zodPayload(schema), schema, handlers, faults: faults({ steps: 6 }) },
  (result, payload) => {
    // whatever the faults did, the output is the stages applied once each, in order
    let expected = payload.documentId;
    for (const stage of payload.pipeline) {
      if (stage === "fetch") expected = `<${expected}>`;
      if (stage === "summarize") expected = expected.slice(0, 8);
    }
    expect(result.output).toBe(expected);
    // and the history holds one result per stage (a duplicate delivery records a step twice: same id)
    const recorded = new Map(result.steps.filter((s) => s.stepType === "Run").map((s) => [s.stepId, s.stepName]));
    expect([...recorded.values()]).toEqual(payload.pipeline.map((stage, i) => `${stage}-${i}`));
  },
);

it("survives every pipeline and fault schedule (fast-check's fc.assert, via assertReplayProperty)", async () => {
  // a passing property: a fifth of its runs in the fast `npm test` (test/run-counts.ts)
  await assertReplayProperty(property, { numRuns: runs(200, 40) });
});

// the same property with @fast-check/vitest: its arbitraries and one-case runner
test.prop(property.arbitraries, { numRuns: runs(100, 20) })("survives every pipeline and fault schedule (test.prop)", (payload, schedule) =>
  property.runCase(payload, schedule),
);

it("keeps readme-example.test.ts identical to the example of docs/guide/fuzzing.md", () => {
  const readme = readFileSync(new URL("../../docs/guide/fuzzing.md", import.meta.url), "utf8");
  const section = readme.split("# Fuzzing dynamic pipelines")[1]!;
  const snippet = section.split("```ts\n")[1]!.split("```")[0];
  const example = readFileSync(new URL("./readme-example.test.ts", import.meta.url), "utf8");
  expect(example.slice(example.indexOf("\n") + 1)).toBe(snippet);
});
