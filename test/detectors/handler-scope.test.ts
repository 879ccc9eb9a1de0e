// Through replayHandler() the detectors read the SDK's frames from the stack: code reached through
// the route function is outside a step unless a step frame is on the stack; failureFunction and the
// rest of an async helper a step function returned are not "outside a step".
import { serve } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";

const handlers = [http.post("https://api.test/write", () => HttpResponse.json({ ok: true }))];

async function write(): Promise<number> {
  await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return (await fetch("https://api.test/write", { method: "POST", body: "{}" })).status;
}

/** A client whose write continues in a bare .then() chain: no await keeps the step's frames. */
const client = {
  write: () => new Promise((resolve) => setTimeout(resolve, 0)).then(() => fetch("https://api.test/write", { method: "POST", body: "{}" })).then((r) => r.status),
};

describe("replayHandler() step scope", () => {
  it("counts a step function that returns an async helper's promise as inside its step", async () => {
    const { handler } = serve(
      async (context) => {
        await context.run("save", async () => write());
        await context.run("save-again", () => write());
        await context.run("save-chained", async () => client.write());
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler, { handlers });
    expect(result.status).toBe("completed");
    expect(result.findings).toEqual([]);
  });

  it("does not report failureFunction's code as outside a step", async () => {
    const { handler } = serve(
      async (context) => {
        await context.run("boom", () => {
          throw new Error("down");
        });
      },
      {
        env: simulatorEnv(),
        failureFunction: async () => {
          await write();
          return `alerted at ${Date.now()}`;
        },
      },
    );
    const result = await replayHandler(handler, { handlers, retries: 0 });
    expect(result.status).toBe("failed");
    expect(result.findings).toEqual([]);
  });

  it("still reports a write made by the route outside a step (the near miss)", async () => {
    const { handler } = serve(
      async (context) => {
        await write();
        await context.run("save", () => 1);
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler, { handlers });
    expect(result.findings.map((f) => [f.kind, f.severity])).toEqual([["side-effect-outside-step", "error"]]);
  });
});
