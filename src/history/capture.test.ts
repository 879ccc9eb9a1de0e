import { describe, expect, it, vi } from "vitest";
import type { RecordedHistory } from "../types.js";
import { captureDeliveries } from "./capture.js";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const delivery = (extra: Record<string, string> = {}, body?: string) =>
  new Request("https://example.com/api/flow", {
    method: "POST",
    headers: { "Upstash-Workflow-RunId": "wfr_c", "Upstash-Workflow-Sdk-Version": "1", Authorization: "Bearer s3cret", ...extra },
    body: body ?? JSON.stringify([{ messageId: "m0", callType: "step", body: b64(`{"id":1}`) }]),
  });

describe("captureDeliveries", () => {
  it("writes the delivery as a history, redacted, while the handler still reads the body and its response is returned", async () => {
    const written: RecordedHistory[] = [];
    const handler = vi.fn(async (request: Request) => new Response(`got ${(await request.text()).length} bytes`, { status: 200 }));
    const wrapped = captureDeliveries(handler, { write: (h) => void written.push(h), redactHeaders: ["AUTHORIZATION"] });
    const response = await wrapped(delivery());
    expect(await response.text()).toMatch(/^got \d+ bytes$/);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ workflowRunId: "wfr_c", workflowUrl: "https://example.com/api/flow", payload: `{"id":1}`, headers: { authorization: "[redacted]" } });
  });

  it("ignores triggers, call callbacks, failure callbacks and lazy-fetch deliveries", async () => {
    const write = vi.fn();
    const wrapped = captureDeliveries(async () => new Response("ok"), { write });
    await wrapped(new Request("https://example.com/api/flow", { method: "POST", body: `{"id":1}` }));
    await wrapped(delivery({ "Upstash-Workflow-Callback": "true" }, "{}"));
    await wrapped(delivery({ "Upstash-Workflow-Failure-Callback": "true" }, "{}"));
    await wrapped(delivery({}, ""));
    expect(write).not.toHaveBeenCalled();
  });

  it("never lets a capture failure reach the response", async () => {
    const onError = vi.fn();
    const wrapped = captureDeliveries(async () => new Response("ok", { status: 200 }), {
      write: () => {
        throw new Error("disk full");
      },
      onError,
    });
    const response = await wrapped(delivery());
    expect(response.status).toBe(200);
    expect((onError.mock.calls[0]![0] as Error).message).toBe("disk full");
  });
});
