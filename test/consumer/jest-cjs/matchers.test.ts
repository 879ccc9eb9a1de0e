import { expect, it } from "@jest/globals";
import { replay } from "workflow-replay";
import { greet, twice } from "./workflow";

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
