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
    const response = await api().answer(new Request("https://qstash.upstash.io/v2/workflows/runs/wfr_nope"));
    expect(response?.status).toBe(404);
  });

  it("leaves the application's own QStash calls to the user's handlers and the QStash model", async () => {
    const a = api();
    expect(await a.answer(new Request("https://qstash-eu-central-1.upstash.io/v2/schedules"))).toBeUndefined();
    expect(await a.answer(new Request("https://qstash.upstash.io/v2/publish/https://mail.test/x", { method: "POST", body: "{}" }))).toBeUndefined();
    expect(await a.answer(new Request("https://qstash.upstash.io/v2/batch", { method: "POST", body: JSON.stringify([{ destination: "https://a.test", headers: {} }]) }))).toBeUndefined();
    // A message naming a run the simulator does not know (a trigger of a new run) is the application's too.
    const trigger = new Request("https://qstash.upstash.io/v2/publish/https://a.test", { method: "POST", headers: { "Upstash-Workflow-RunId": "wfr_other" }, body: "{}" });
    expect(await a.answer(trigger)).toBeUndefined();
  });

  it("answers the lazy fetch of an unknown run with 404, as QStash does for an ended run", async () => {
    const response = await api().answer(new Request("https://qstash.workflow-replay.test/v2/workflows/runs/wfr_nope"));
    expect(response?.status).toBe(404);
  });
});
