import { serve } from "@upstash/workflow";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";

const route = async (context: { run: (name: string, fn: () => number) => Promise<number> }) => {
  const a = await context.run("one", () => 1);
  return await context.run("two", () => a + 1);
};

describe("signed deliveries", () => {
  beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  it("signs every delivery so the real Receiver accepts it", async () => {
    const { handler } = serve(route as never, { env: simulatorEnv() });
    const result = await replayHandler(handler);
    expect(result.status).toBe("completed");
    expect(result.output).toBe(2);
    expect(result.invocations).toBe(3);
  });

  it.each(["missing", "wrong-key", "wrong-body"] as const)("a handler with signing keys rejects a %s signature", async (signature) => {
    const { handler } = serve(route as never, { env: simulatorEnv() });
    const result = await replayHandler(handler, { signature, retries: 1 });
    expect(result.status).toBe("failed");
    expect(result.steps.map((s) => s.stepName)).toEqual(["init"]);
    // two rejected deliveries, then the failure callback QStash sends (rejected too)
    expect(result.deliveries.map((d) => `${d.kind}:${d.status}`)).toEqual(["step:500", "step:500", "failure-callback:500"]);
    expect(result.invocations).toBe(3);
    expect(result.error?.status).toBe(500);
    expect(result.error?.message).toMatch(/^Failed to verify that the Workflow request comes from QStash: /);
  });

  it("says why a forged delivery was rejected", async () => {
    const { handler } = serve(route as never, { env: simulatorEnv() });
    const result = await replayHandler(handler, { signature: "wrong-body", retries: 0 });
    expect(result.error?.message.split("\n")[0]?.replace(/want: \S+, got: \S+/, "want: <hash>, got: <hash>")).toMatchInlineSnapshot(
      `"Failed to verify that the Workflow request comes from QStash: SignatureError: body hash does not match, want: <hash>, got: <hash>"`,
    );
  });

  it("a handler without signing keys accepts unsigned deliveries", async () => {
    const { handler } = serve(route as never, { env: simulatorEnv({}, { signing: false }) });
    const result = await replayHandler(handler, { signature: "missing" });
    expect(result.status).toBe("completed");
  });

  it("signs with the keys the handler was given", async () => {
    const keys = { currentSigningKey: "sig_my_current_key_for_tests_01", nextSigningKey: "sig_my_next_key_for_tests_0002" };
    const env = { ...simulatorEnv(), QSTASH_CURRENT_SIGNING_KEY: keys.currentSigningKey, QSTASH_NEXT_SIGNING_KEY: keys.nextSigningKey };
    const { handler } = serve(route as never, { env });
    expect((await replayHandler(handler, { retries: 0 })).status).toBe("failed");
    expect((await replayHandler(handler, { signingKeys: keys })).status).toBe("completed");
  });
});
