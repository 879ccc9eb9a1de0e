// node:test has no expect.extend: the matchers are plain functions, called with a small context.
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { it } from "node:test";
import { replay } from "workflow-replay";
import { matchers, type MatcherContext } from "workflow-replay/vitest";
import { greet, twice } from "./workflow.ts";

const ctx: MatcherContext = { isNot: false, equals: isDeepStrictEqual };

it("matches a clean run", async () => {
  const result = await replay(greet, { payload: { name: "Ada" } });
  assert.ok(matchers.toHaveStatus.call(ctx, result, "completed").pass);
  assert.ok(matchers.toCompleteWith.call(ctx, result, "Hello, Ada (pro)!").pass);
  assert.ok(matchers.toHaveRunSteps.call(ctx, result, ["normalize", "load-profile", "wait", "greet"]).pass);
  assert.ok(matchers.toHaveNoFindings.call(ctx, result).pass);
});

it("matches a replay bug", async () => {
  const result = await replay(twice, { payload: { n: 1 } });
  assert.ok(matchers.toHaveFinding.call(ctx, result, "duplicate-step-name", { stepName: "add" }).pass);
  const clean = matchers.toHaveNoFindings.call(ctx, result);
  assert.equal(clean.pass, false);
  assert.match(clean.message(), /duplicate-step-name/);
});
