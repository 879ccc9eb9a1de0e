import type { WorkflowContext } from "@upstash/workflow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertReplayProperty, pipeline, replayProperty } from "workflow-replay/fast-check";
import { runs } from "../run-counts.js";

type Action = "fetch" | "summarize" | "email";
type Payload = { pipeline: Action[] };

const ACTIONS: Action[] = ["fetch", "summarize", "email"];
const payload = fc.record({ pipeline: pipeline(ACTIONS, { minLength: 1, maxLength: 6 }) });

async function perform(action: Action, input: string): Promise<string> {
  return `${input}>${action}`;
}

/** The classic bug: one step per pipeline entry, named by its action only. */
const namedByAction = async (context: WorkflowContext<Payload>) => {
  let value = "start";
  for (const action of context.requestPayload.pipeline) {
    value = await context.run(action, () => perform(action, value));
  }
  return value;
};

/** The fix: the entry's index makes every step name unique. */
const namedByIndex = async (context: WorkflowContext<Payload>) => {
  let value = "start";
  for (const [index, action] of context.requestPayload.pipeline.entries()) {
    value = await context.run(`${index}-${action}`, () => perform(action, value));
  }
  return value;
};

/**
 * Stable duplicates work in SDK 1.3.3 (it matches by position), so duplicate-step-name is a warning by
 * default (docs/decisions/1200); a team that wants unique names raises it to an error with `checks`.
 */
const RAISED = { "duplicate-step-name": "error" } as const;

describe("replayProperty on a dynamic pipeline", () => {
  it("finds the duplicate step name (raised to an error) on its own and shrinks it to a two-entry pipeline with a repeated action", async () => {
    const details = await fc.check(replayProperty(namedByAction, { payload, checks: RAISED }), { seed: 7, numRuns: 200 });
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample!;
    expect(shrunk.pipeline).toHaveLength(2);
    expect(shrunk.pipeline[0]).toBe(shrunk.pipeline[1]);
    const error = details.errorInstance as Error & { result: { findings: Array<{ kind: string }> } };
    expect(error.result.findings.map((f) => f.kind)).toContain("duplicate-step-name");
    expect(error.message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Replay property failed: 1 error finding (duplicate-step-name)."`);
    expect(error.message.split("\n")[1]).toMatchInlineSnapshot(`"Rerun this case alone: await replay(route, { ...options, payload: {"pipeline":["summarize","summarize"]} })"`);
  });

  it("prints the seed, the path and the rerun literal in one message with assertReplayProperty", async () => {
    const failure = await assertReplayProperty(replayProperty(namedByAction, { payload, checks: RAISED }), { seed: 7, numRuns: 200 }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    const [headline, reproduce, problem, rerun] = failure!.message.split("\n");
    expect(headline).toMatch(/^\[workflow-replay\] Property failed after \d+ runs? \(shrunk \d+ times?\)\.$/);
    expect(reproduce).toMatch(/^Replay this counterexample: fc\.assert\(property, \{ seed: 7, path: "[\d:]+", endOnFailure: true \}\)$/);
    expect(problem).toContain("duplicate-step-name");
    expect(rerun).toMatch(/^Rerun this case alone: await replay\(route, \{ \.\.\.options, payload: \{"pipeline":\["(\w+)","\1"\]\} \}\)$/);
  });

  it(`passes ${runs(1000, 200)} runs once the step names carry the entry's index`, async () => {
    const details = await fc.check(replayProperty(namedByIndex, { payload }), { seed: 7, numRuns: runs(1000, 200) });
    expect(details.failed).toBe(false);
    expect(details.numRuns).toBe(runs(1000, 200));
  });
});
