import { expect, it, jest } from "@jest/globals";
import { assertReplay, replay } from "workflow-replay";
import { greet } from "./workflow";

it("greets after an hour (the profile step returns Response.json(), from another realm)", async () => {
  const result = await replay(greet, { payload: { name: " Ada " } });
  assertReplay(result);
  expect(result.output).toBe("Hello, Ada (pro)!");
  expect(result.invocations).toBe(5);
});

it("replays under jest's fake timers: the run's clock is virtual", async () => {
  jest.useFakeTimers();
  try {
    const result = await replay(greet, { payload: { name: "Bo" } });
    assertReplay(result);
    expect(result.output).toBe("Hello, Bo (pro)!");
  } finally {
    jest.useRealTimers();
  }
});
