// Workflows from application repositories and Upstash's other SDK repos, adapted as they are.
import type { FieldWorkflow } from "../field-workflow.js";

/** upstash/workflow-go test_workflow/app/workflows/waitForEvent/route.ts: compares the event outside a step. */
export const goWaitForEvent: FieldWorkflow = {
  title: "workflow-go: wait for an event and compare its data",
  source: { repo: "upstash/workflow-go", path: "test_workflow/app/workflows/waitForEvent/route.ts", commit: "e81500a7f641e23ed53836139f7be29b7f34759d" },
  route: () => async (context) => {
    const requestPayload = context.requestPayload as { eventId: string; expectedEventData: unknown };
    await context.run("step-1", async () => "step-1-output");
    const { eventData } = await context.waitForEvent("wait-for-event", requestPayload.eventId, { timeout: "24h" });
    if (JSON.stringify(requestPayload.expectedEventData) != JSON.stringify(eventData)) {
      throw new Error("failed to execute step");
    }
    await context.run("step-3", () => "step-3-output");
  },
  options: { payload: { eventId: "ev-1", expectedEventData: { ok: 1 } }, events: { "ev-1": { ok: 1 } }, retries: 0 },
  bugs: [],
  notes: "No finding expected.",
};

/** upstash/workflow-go test_workflow/app/workflows/sleepTenDaysWorkflow/route.ts. */
export const goSleepTenDays: FieldWorkflow = {
  title: "workflow-go: a step, a 240h sleep, a step",
  source: { repo: "upstash/workflow-go", path: "test_workflow/app/workflows/sleepTenDaysWorkflow/route.ts", commit: "e81500a7f641e23ed53836139f7be29b7f34759d" },
  route: () => async (context) => {
    await context.run("step-1", async () => "step-1-output");
    await context.sleep("sleep-for-one-year", "240h");
    await context.run("step-3", () => "step-3-output");
  },
  bugs: [],
  notes: "No finding expected.",
};

/** upstash/workflow-go test_workflow/app/workflows/failingWorkflow/route.ts: throws before its first step, on purpose. */
export const goFailing: FieldWorkflow = {
  title: "workflow-go: a workflow that fails on purpose",
  source: { repo: "upstash/workflow-go", path: "test_workflow/app/workflows/failingWorkflow/route.ts", commit: "e81500a7f641e23ed53836139f7be29b7f34759d" },
  route: () => async (context) => {
    throw new Error("failed to execute step");
    // eslint-disable-next-line no-unreachable
    await context.run("step-1", async () => "step-1-output");
  },
  options: { retries: 2 },
  bugs: [],
  notes: "The run fails (its purpose: the Go SDK's failure tests); that is the run's status, not a replay bug, so no finding.",
};

/** kapepa/youtube src/app/api/workflow/route.ts: the quick-start. */
export const youtubeQuickstart: FieldWorkflow = {
  title: "kapepa/youtube: two logging steps",
  source: { repo: "kapepa/youtube", path: "src/app/api/workflow/route.ts", commit: "41b064363dd5d7a204d0a6d1559b1d34b8e75241" },
  route: () => async (context) => {
    await context.run("first-step", () => {});
    await context.run("second-step", () => {});
  },
  bugs: [],
  notes: "No finding expected.",
};

/** yooeonwoo/agentset src/app/api/workflow/route.ts: the quick-start with a Receiver (the handler mode signs). */
export const agentsetReceiver: FieldWorkflow = {
  title: "yooeonwoo/agentset: two steps behind a signature receiver",
  source: { repo: "yooeonwoo/agentset", path: "src/app/api/workflow/route.ts", commit: "67e26f8aabd4e052f59fcec5092e89a98930b198" },
  route: () => async (context) => {
    await context.run("initial-step", () => {});
    await context.run("second-step", () => {});
  },
  bugs: [],
  notes: "No finding expected. The Receiver is the simulator's signing keys in handler mode.",
};

/** mehmettokgoz/bun-hono-server src/index.ts: the hono quick-start. */
export const bunHono: FieldWorkflow = {
  title: "mehmettokgoz/bun-hono-server: hono serve, two steps",
  source: { repo: "mehmettokgoz/bun-hono-server", path: "src/index.ts", commit: "e4b22d23f929a0f91993c1ca9e88f66736314e62" },
  route: () => async (context) => {
    await context.run("initial-step", () => {});
    await context.run("second-step", () => {});
  },
  bugs: [],
  notes: "No finding expected.",
};

/** upstash/qstash-js examples/nextjs/app/workflow-native/route.ts: awaits inside Promise.all, one name twice. */
export const qstashNative: FieldWorkflow = {
  title: "qstash-js: awaited steps inside Promise.all sharing a name",
  source: { repo: "upstash/qstash-js", path: "examples/nextjs/app/workflow-native/route.ts", commit: "072e2aff3e3a858a338163f0141f1f349e3a17c5" },
  route: () => async (context) => {
    const id = Math.random();
    void id;
    const result1 = await context.run("step uno", () => Promise.resolve({ value: 2 + 2 }));
    const result2 = await context.run("step dos", async () => result1.value + 6);
    await Promise.all([
      await context.run("parallel step 1", async () => result2 * 2),
      await context.run("parallel step 1", async () => result2 * 3),
    ]);
    await context.run("step tres", async () => await Promise.resolve(result1.value + result2));
  },
  bugs: [],
  notes: "The awaits make the 'parallel' steps sequential, both named 'parallel step 1' at stable positions: a warning. Math.random() outside a step is only logged: a warning.",
};

/** roboalchemist/llm-code-docs docs/llms-txt/upstash/waitForEvent.md: Upstash's order-processing example. */
export const docsWaitForEvent: FieldWorkflow = {
  title: "Upstash docs: order processing waits for an event, returns on timeout",
  source: { repo: "roboalchemist/llm-code-docs", path: "docs/llms-txt/upstash/waitForEvent.md", commit: "565e15b555262623fe3fb0935236b324af8df610" },
  route: () => {
    const processed: string[] = [];
    const requestProcessing = async (orderId: string) => void processed.push(orderId);
    const sendEmail = async (_to: string, _subject: string, _data: unknown) => void processed.push("mail");
    return async (context) => {
      const { orderId, userEmail } = context.requestPayload as { orderId: string; userEmail: string };
      await context.run("request order processing", async () => {
        await requestProcessing(orderId);
      });
      const { eventData, timeout } = await context.waitForEvent("wait for order processing", `order-${orderId}`, { timeout: "10m" });
      if (timeout) return;
      const processedData = eventData;
      await context.run("process-order", async () => {
        void processedData;
      });
      await context.run("send-confirmation-email", async () => {
        await sendEmail(userEmail, "Your order has been processed!", processedData);
      });
    };
  },
  options: { payload: { orderId: "o1", userEmail: "u@x.test" }, events: { "order-o1": { status: "done" } } },
  bugs: [],
  notes: "No finding expected. The return on timeout comes after the wait, in the delivery that first sees the timeout: not an early return past recorded steps.",
};
