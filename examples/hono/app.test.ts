import { describe, expect, it } from "vitest";
import { fromHono, replay, replayHandler, simulatorEnv } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { app, onboarding } from "./app";
import { onboardingHandlers } from "./handlers";

expect.extend(matchers);

const payload = { userId: "u1", email: "ada@example.com", channels: ["slack", "discord", "email"] };
const DAY = 86_400_000;

describe("onboarding with a parallel fan-out", () => {
  it("notifies every channel once, a day after the account was created", async () => {
    const { handlers, hooks } = onboardingHandlers();
    const result = await replay(onboarding, { payload, handlers });
    expect(result).toCompleteWith({ account: "acct_u1", notified: ["slack", "discord", "email"] });
    expect(result).toHaveRunSteps(["create-account", "wait-a-day", "notify-slack", "notify-discord", "notify-email"]);
    expect(result).toHaveNoFindings();
    expect([...hooks].sort()).toEqual(["discord", "email", "slack"]);
    // One plan delivery for the group, one per branch: the parallel protocol the SDK runs.
    const planned = result.steps.filter((s) => s.stepId === 0 && s.targetStep !== undefined);
    expect(planned.map((s) => s.stepName)).toEqual(["notify-slack", "notify-discord", "notify-email"]);
    const create = result.deliveries[0]!.at;
    const notifySlack = result.deliveries.find((d) => d.submitted.some((s) => s.stepName === "notify-slack" && s.out !== undefined))!;
    expect(notifySlack.at - create).toBeGreaterThanOrEqual(DAY);
  });

  it("stops on the sleep when the simulation ends before the day is over", async () => {
    const result = await replay(onboarding, { payload, handlers: onboardingHandlers().handlers, until: DAY / 2 });
    expect(result).toHaveStatus("waiting");
    expect(result).toHaveRunSteps(["create-account", "wait-a-day"]);
  });

  it("serves the same run through the Hono app (replayHandler + fromHono)", async () => {
    const { handlers, hooks } = onboardingHandlers();
    const options = { payload, handlers, url: "https://app.example.com/workflows/onboarding" };
    const viaApp = await replayHandler(fromHono(app, simulatorEnv()), options);
    const viaReplay = await replay(onboarding, { ...options, handlers: onboardingHandlers().handlers });
    expect(viaApp).toCompleteWith(viaReplay.output);
    expect(viaApp.invocations).toBe(viaReplay.invocations);
    expect(viaApp.steps.map((s) => [s.stepName, s.stepType, s.targetStep ?? null])).toEqual(
      viaReplay.steps.map((s) => [s.stepName, s.stepType, s.targetStep ?? null]),
    );
    expect(hooks).toHaveLength(3);
  });
});
