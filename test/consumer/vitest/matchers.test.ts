import { expect, it } from "vitest";
import { replay } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { greet, twice } from "./workflow.js";

expect.extend(matchers);

it("matches a clean run", async () => {
  const result = await replay(greet, { payload: { name: "Ada" } });
  expect(result).toHaveStatus("completed");
  expect(result).toCompleteWith("Hello, Ada (pro)!");
  expect(result).toHaveRunSteps(["normalize", "load-profile", "wait", "greet"]);
  expect(result).toHaveNoFindings();
});

it("matches a replay bug", async () => {
  const result = await replay(twice, { payload: { n: 1 } });
  expect(result).toHaveFinding("duplicate-step-name", { stepName: "add" });
  expect(result).not.toHaveNoFindings();
});
