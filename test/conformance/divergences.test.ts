import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { trackEffects } from "../../src/detectors/track-effects.js";
import { comparable, runBoth } from "./both-modes.js";

// Smaller divergences found by differential fuzzing against the SDK (decision 1506).
describe("divergences between the drivers, settled", () => {
  it("a failing step whose name cannot be sent as a header: both answer 500 with the header's TypeError", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("naïve ✓ step", () => {
        throw new Error("nope");
      });
    }, { retries: 1 });
    expect(real.status).toBe("failed");
    expect(real.error?.name).toBe("TypeError");
    expect(real.error?.message).toMatch(/^Cannot convert argument to a ByteString because the character at index 6 has a value of 10003/);
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("a Latin-1 step name still names the failed step", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("café", () => {
        throw new Error("nope");
      });
    }, { retries: 0 });
    expect(real.error?.message).toBe("nope");
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it.each([0, 2])("context.call answered by a network error (retries %i): a status-0 answer after the call's retries, in both", async (retries) => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      const response = await context.call("down", { url: "https://down.test/x", method: "GET", retries });
      return { status: response.status, body: response.body };
    }, { handlers: [http.get("https://down.test/x", () => HttpResponse.error())] });
    expect(real.status).toBe("completed");
    expect(real.output).toEqual({ status: 0, body: "" });
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it.each([
    ["in one Promise.all", true],
    ["left unawaited", false],
  ])("a step racing context.cancel() (%s) is not recorded: the run is deleted before its result arrives, in both", async (_, together) => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("a", () => 1);
      if (together) await Promise.all([context.run("b", () => 2), context.cancel()]);
      else {
        void context.run("b", () => 2);
        await context.cancel();
      }
    });
    expect(real.status).toBe("cancelled");
    expect(real.steps.map((s) => s.stepName)).toEqual(["init", "a"]);
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("a step that finished before context.cancel() was called stays recorded, in both", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("a", () => 1);
      void context.run("b", () => 2);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await context.cancel();
    });
    expect(real.status).toBe("cancelled");
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("a tracked effect outside a step is reported through replayHandler too, at the user's line", async () => {
    const line = thisLine() + 4;
    const make = () => {
      const mail = trackEffects({ send: (_to: string) => true }, "mail");
      return async (context: WorkflowContext) => {
        mail.send("ada");
        await context.run("inside", () => mail.send("bob"));
      };
    };
    const { mock, real } = await runBoth(make);
    const describe = (r: typeof mock) => r.findings.map((f) => `${f.kind} @${f.location?.line}`);
    expect(describe(mock)).toEqual([`side-effect-outside-step @${line}`]);
    expect(describe(real)).toEqual(describe(mock));
  });
});

function thisLine(): number {
  const line = new Error().stack!.split("\n")[2]!;
  return Number(/:(\d+):\d+\)?$/.exec(line)![1]);
}
