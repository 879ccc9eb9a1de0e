import { describe, expect, it } from "vitest";
import { Simulator } from "../engine/simulator.js";
import { Prng } from "../util/prng.js";
import { QStashRestApi } from "./rest-api.js";

function api() {
  const sim = new Simulator({ startTime: 0, prng: new Prng(1), events: {}, webhooks: {}, handlers: [], maxInvocations: 10, endpointFor: () => undefined });
  return new QStashRestApi({ sim, currentPort: () => undefined });
}

describe("QStashRestApi", () => {
  it("ignores requests to other hosts", async () => {
    expect(await api().answer(new Request("https://api.example/v2/batch", { method: "POST", body: "[]" }))).toBeUndefined();
  });

  it("answers QStash's real hosts too, so nothing leaves the process", async () => {
    const response = await api().answer(new Request("https://qstash.upstash.io/v2/batch", { method: "POST", body: "[]" }));
    expect(response?.status).toBe(200);
    expect(await response?.json()).toEqual([]);
  });

  it("says which QStash API it does not simulate", async () => {
    const response = await api().answer(new Request("https://qstash-eu-central-1.upstash.io/v2/schedules"));
    expect(response?.status).toBe(501);
    expect(((await response!.json()) as { error: string }).error).toMatchInlineSnapshot(
      `"[workflow-replay] Failed to answer GET /v2/schedules: the QStash simulator does not implement this API. Only the calls the workflow SDK makes while running a workflow are simulated."`,
    );
  });

  it("answers the lazy fetch of an unknown run with 404, as QStash does for an ended run", async () => {
    const response = await api().answer(new Request("https://qstash.workflow-replay.test/v2/workflows/runs/wfr_nope"));
    expect(response?.status).toBe(404);
  });
});
