import { afterEach, describe, expect, it, vi } from "vitest";
import { assertReplay, fromNextjs, replay, replayHandler, simulatorEnv } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { DOCUMENT, pipelineHandlers } from "./handlers";
import { pipeline } from "./workflow";

expect.extend(matchers);

const payload = { documentId: "doc-1", stages: ["fetch", "summarize", "email"] as const, to: "ops@example.com" };

describe("the dynamic pipeline, replayed with replay()", () => {
  it("runs each stage once, as its own step, and sends one email", async () => {
    const { handlers, sent } = pipelineHandlers();
    const result = await replay(pipeline, { payload: { ...payload, stages: [...payload.stages] }, handlers });
    assertReplay(result);
    expect(result).toCompleteWith("sent to ops@example.com");
    expect(result).toHaveRunSteps(["fetch-0", "summarize-1", "email-2"]);
    expect(result.invocations).toBe(4);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      key: `${result.workflowRunId}:2`,
      body: { to: "ops@example.com", text: "Replay bugs hide until production. Every delivery runs the workflow from the top." },
    });
  });

  it("gives a repeated stage its own step name", async () => {
    const { handlers } = pipelineHandlers();
    const result = await replay(pipeline, { payload: { documentId: "doc-1", stages: ["fetch", "summarize", "summarize"] }, handlers });
    expect(result).toHaveRunSteps(["fetch-0", "summarize-1", "summarize-2"]);
    expect(result).toHaveNoFindings();
    expect(result.output).toBe(DOCUMENT.split(". ").slice(0, 2).join(". ") + ".");
  });

  it("sends the email once when the delivery after it crashes and QStash retries", async () => {
    const { handlers, sent } = pipelineHandlers();
    const result = await replay(pipeline, {
      payload: { ...payload, stages: [...payload.stages] },
      handlers,
      faults: { crashAfterStep: [3] },
    });
    expect(result).toHaveStatus("completed");
    // The step ran twice (the first result was lost): the stable idempotency key lets the mail API dedupe.
    expect(sent.map((s) => s.key)).toEqual([`${result.workflowRunId}:2`, `${result.workflowRunId}:2`]);
  });
});

describe("the Next.js route's POST export, driven by replayHandler()", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("behaves like the route function under the real SDK", async () => {
    // serve() reads process.env when the route module loads, as in Next.js: point it at the simulator first.
    for (const [name, value] of Object.entries(simulatorEnv())) vi.stubEnv(name, value);
    const { POST } = await import("./app/api/workflow/route");
    const { handlers, sent } = pipelineHandlers();
    const options = { payload: { ...payload, stages: [...payload.stages] }, handlers, url: "https://app.example.com/api/workflow" };
    const viaHandler = await replayHandler(fromNextjs({ POST }), options);
    expect(viaHandler).toCompleteWith("sent to ops@example.com");
    expect(viaHandler).toHaveRunSteps(["fetch-0", "summarize-1", "email-2"]);
    expect(sent).toHaveLength(1);

    const viaReplay = await replay(pipeline, { ...options, handlers: pipelineHandlers().handlers });
    expect(viaHandler.invocations).toBe(viaReplay.invocations);
    expect(viaHandler.output).toEqual(viaReplay.output);
  });
});
