import { describe, expect, it } from "vitest";
import { assertReplay, ReplayAssertionError } from "./assert.js";
import { replay } from "./replay.js";
import type { Finding, ReplayResult } from "./types.js";

const noisy: Finding = {
  kind: "side-effect-outside-step",
  severity: "error",
  message: "fetch POST https://api.example.com/charge was called outside a step in delivery 1.",
  stepName: "charge",
};
const warning: Finding = { kind: "nondeterministic-source", severity: "warning", message: "Date.now() was read outside a step." };

async function completed(findings: Finding[] = []): Promise<ReplayResult> {
  const result = await replay(async (context) => context.run("one", () => 1));
  return { ...result, findings };
}

async function failed(): Promise<ReplayResult> {
  return replay(
    async (context) => {
      await context.run("boom", () => {
        throw new Error("kaboom");
      });
    },
    { retries: 0 },
  );
}

function thrown(fn: () => unknown): ReplayAssertionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReplayAssertionError);
    return error as ReplayAssertionError;
  }
  throw new Error("expected assertReplay to throw");
}

describe("assertReplay", () => {
  it("returns the result of a clean, completed run", async () => {
    const result = await completed();
    expect(assertReplay(result)).toBe(result);
  });

  it("passes warnings: only error findings fail", async () => {
    const result = await completed([warning]);
    expect(assertReplay(result)).toBe(result);
  });

  it("throws the report when the run has an error finding, naming the kinds", async () => {
    const result = await completed([noisy, warning]);
    const error = thrown(() => assertReplay(result, { report: { color: false, timeline: false } }));
    expect(error.result).toBe(result);
    expect(error.message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Failed to assert the replay: 1 error finding (side-effect-outside-step). Each finding below says where and what to change."`);
    expect(error.message).toContain("✗ 1. side-effect-outside-step (error) · step \"charge\"");
    expect(error.message).toContain("⚠ 2. nondeterministic-source (warning)");
  });

  it("lets allowed kinds through", async () => {
    const result = await completed([noisy]);
    expect(assertReplay(result, { allow: ["side-effect-outside-step"] })).toBe(result);
  });

  it("throws when the run failed, with the error and the timeline", async () => {
    const result = await failed();
    const error = thrown(() => assertReplay(result, { report: { color: false } }));
    expect(error.message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Failed to assert the replay: the run ended "failed" (Error: kaboom), expected it not to fail (pass { status: "failed" } when that is the point). The timeline below shows where the run went wrong."`);
    expect(error.message).toContain("✗ 500 Error: kaboom");
  });

  it("accepts a failure that is expected, and rejects any other status then", async () => {
    const result = await failed();
    expect(assertReplay(result, { status: "failed" })).toBe(result);
    expect(assertReplay(result, { status: ["failed", "cancelled"] })).toBe(result);
    const ok = await completed();
    const error = thrown(() => assertReplay(ok, { status: "failed", report: { color: false } }));
    expect(error.message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Failed to assert the replay: the run ended "completed", expected "failed". The timeline below shows where the run went wrong."`);
  });
});
