import { serve } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";

describe("findings through a real handler", () => {
  it("reports Math.random() outside a step, not inside one", async () => {
    const { handler } = serve(
      async (context) => {
        const coin = Math.random();
        await context.run("inside", () => Math.random());
        await context.run("after", async () => {
          await Promise.resolve();
          return Date.now();
        });
        return coin > 2;
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler);
    expect(result.status).toBe("completed");
    const kinds = result.findings.map((f) => `${f.kind}@${f.location?.line}`);
    expect(kinds).toEqual([`nondeterministic-source@${thisLine() - 13}`]);
  });

  it("reports a request outside a step, not one inside a step", async () => {
    const handlers = [http.get("https://api.test/config", () => HttpResponse.json({ on: true }))];
    const { handler } = serve(
      async (context) => {
        const config = await fetch("https://api.test/config").then((r) => r.json());
        await context.run("inside", async () => (await fetch("https://api.test/config")).status);
        return config;
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler, { handlers });
    expect(result.output).toEqual({ on: true });
    expect(result.findings.map((f) => f.kind)).toEqual(["side-effect-outside-step"]);
  });

  it("does not report the SDK's and the signature check's own reads", async () => {
    const { handler } = serve(
      async (context) => {
        const hook = await context.createWebhook("hook");
        await context.run("one", () => hook.eventId.length);
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler);
    expect(result.status).toBe("completed");
    expect(result.findings).toEqual([]);
  });
});

function thisLine(): number {
  const line = new Error().stack!.split("\n")[2]!;
  return Number(/:(\d+):\d+\)?$/.exec(line)![1]);
}
