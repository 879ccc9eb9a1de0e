import { describe, expect, it } from "vitest";
import { decodeResponse, rawSteps } from "./wire-format.js";

describe("rawSteps", () => {
  it("encodes the Initial payload raw and every other step as base64 JSON", () => {
    const raw = rawSteps(
      [
        { stepId: 0, stepName: "init", stepType: "Initial", out: '{"ü":1}', concurrent: 1 },
        { stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 },
      ] as never,
      ["m0", "m1"],
    );
    expect(raw.map((r) => r.messageId)).toEqual(["m0", "m1"]);
    expect(Buffer.from(raw[0]!.body, "base64").toString("utf8")).toBe('{"ü":1}');
    expect(JSON.parse(Buffer.from(raw[1]!.body, "base64").toString("utf8"))).toEqual({ stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 });
  });
});

describe("decodeResponse", () => {
  it("maps the SDK's 500 with the failing step's name", async () => {
    const response = new Response(JSON.stringify({ error: "TypeError", message: "boom", stack: "at x" }), {
      status: 500,
      headers: { "Upstash-Error-Step-Name": "charge" },
    });
    expect(await decodeResponse(response, "step")).toEqual({ status: 500, error: { name: "TypeError", message: "boom", stack: "at x" }, stepName: "charge" });
  });

  it("keeps Retry-After of a 429 and marks 489 non-retryable", async () => {
    const limited = await decodeResponse(new Response(JSON.stringify({ error: "WorkflowRetryAfterError", message: "slow" }), { status: 429, headers: { "Retry-After": "30" } }), "step");
    expect(limited).toMatchObject({ status: 429, retryAfter: "30", finishCondition: "retry-after-error" });
    const fatal = await decodeResponse(new Response(JSON.stringify({ error: "WorkflowNonRetryableError", message: "no" }), { status: 489 }), "step");
    expect(fatal).toMatchObject({ status: 489, finishCondition: "non-retryable-error" });
  });

  it("describes an answer that did not come from the SDK", async () => {
    const html = await decodeResponse(new Response("<h1>Not Found</h1>", { status: 404 }), "step");
    expect(html.error?.message).toMatchInlineSnapshot(`"The endpoint answered 404: <h1>Not Found</h1>."`);
  });

  it("reads a failure function's result and a missing failure function", async () => {
    expect(await decodeResponse(new Response(JSON.stringify({ result: "cleaned" })), "failure-callback")).toEqual({
      status: 200,
      finishCondition: "failure-callback-executed",
      result: "cleaned",
    });
    const missing = new Response(JSON.stringify({ workflowRunId: "wfr_1", finishCondition: "failure-callback-undefined" }), {
      headers: { "Upstash-Workflow-Failure-Callback-Notfound": "true" },
    });
    expect(await decodeResponse(missing, "failure-callback")).toEqual({ status: 200, finishCondition: "failure-callback-undefined" });
  });
});
