// upstash/workflow-js examples (commit 711837a4d4803c6a1dd856261d4c62d3df96160a): the Upstash Realtime
// examples and the sleepUntil example. `realtime.channel(id).emit(...)` is an in-memory fake.
import type { FieldWorkflow } from "../field-workflow.js";

const COMMIT = "711837a4d4803c6a1dd856261d4c62d3df96160a";

/** A stand-in for @upstash/realtime: a channel per run id that records what was emitted. */
function fakeRealtime() {
  const emitted: Array<{ channel: string; event: string }> = [];
  return {
    channel: (name: string) => ({
      emit: async (event: string, _data: unknown) => {
        emitted.push({ channel: name, event });
      },
    }),
    emitted,
  };
}

type WorkflowPayload = { userId: string; action: string };

/** examples/upstash-realtime/src/app/api/workflow/human-in-loop/route.ts: a wait for approval beside a step, in one parallel group. */
export const realtimeHumanInLoop: FieldWorkflow = {
  title: "upstash-realtime: human in the loop (waitForEvent in parallel with a step)",
  source: { repo: "upstash/workflow-js", path: "examples/upstash-realtime/src/app/api/workflow/human-in-loop/route.ts", commit: COMMIT },
  route: () => {
    const realtime = fakeRealtime();
    return async (context) => {
      const { userId, action } = context.requestPayload as WorkflowPayload;
      const workflowRunId = context.workflowRunId;
      const channel = realtime.channel(workflowRunId);

      await context.run("initial-processing", async () => {
        const result = { preprocessed: true, userId, action, requiresApproval: true };
        await channel.emit("workflow.stepFinish", { stepName: "initial-processing", result });
        return result;
      });

      const eventId = `approval-${workflowRunId}`;
      const [{ eventData, timeout }] = await Promise.all([
        context.waitForEvent<{ approved: boolean }>("wait-for-approval", eventId, { timeout: "5m" }),
        context.run("notify-waiting", () =>
          channel.emit("workflow.waitingForInput", { eventId, message: `Waiting for approval to process action: ${action}` }),
        ),
      ]);

      if (timeout) {
        return { success: false, reason: "timeout" };
      }

      await context.run("input-resolved", () => channel.emit("workflow.inputResolved", { eventId }));

      const status = eventData.approved ? "approved" : "rejected";

      await context.run(`process-${status}`, async () => {
        const result = { status, processedAt: Date.now(), action, userId };
        await channel.emit("workflow.stepFinish", { stepName: `process-${status}`, result });
        return result;
      });

      if (eventData.approved) {
        // Additional steps...
      }

      await context.run("run-finish", () => channel.emit("workflow.runFinish", {}));

      return { success: true, approved: eventData.approved, workflowRunId };
    };
  },
  options: { payload: { userId: "u1", action: "delete-account" }, workflowRunId: "wfr_hitl", events: { "approval-wfr_hitl": { approved: true } } },
  bugs: [],
  notes:
    "No bug: the step name process-${status} depends only on the event's data (a step result), and every emit is inside a step. The event id is built from context.workflowRunId, stable across deliveries.",
};

/** examples/upstash-realtime/src/app/api/workflow/basic/route.ts: steps that wait 500 ms (virtual time) and emit. */
export const realtimeBasic: FieldWorkflow = {
  title: "upstash-realtime: basic (timers inside steps)",
  source: { repo: "upstash/workflow-js", path: "examples/upstash-realtime/src/app/api/workflow/basic/route.ts", commit: COMMIT },
  route: () => {
    const realtime = fakeRealtime();
    return async (context) => {
      const { userId, action } = context.requestPayload as WorkflowPayload;
      const workflowRunId = context.workflowRunId;
      const channel = realtime.channel(workflowRunId);

      await context.run("validate-data", async () => {
        if (!userId || !action) {
          throw new Error("Missing required fields");
        }
        const result = { valid: true, userId, action };
        await new Promise((resolve) => setTimeout(resolve, 500));
        await channel.emit("workflow.stepFinish", { stepName: "validate-data", result });
        return result;
      });

      await context.run("process-data", async () => {
        const result = { processed: true, userId, action, timestamp: Date.now() };
        await new Promise((resolve) => setTimeout(resolve, 500));
        await channel.emit("workflow.stepFinish", { stepName: "process-data", result });
        return result;
      });

      await context.run("run-finish", () => channel.emit("workflow.runFinish", {}));

      return { success: true, workflowRunId };
    };
  },
  options: { payload: { userId: "u1", action: "export" } },
  bugs: [],
  notes: "No bug: the 500 ms timers run inside steps (virtual time); Date.now() is read inside a step.",
};

const someWork = (input: string) => `processed '${JSON.stringify(input)}'`;

/** examples/nextjs/app/sleep/route.ts: sleepUntil a time computed outside a step from Date.now(). */
export const sleepUntilNow: FieldWorkflow = {
  title: "nextjs sleep: sleepUntil(Date.now() / 1000 + 3) outside a step",
  source: { repo: "upstash/workflow-js", path: "examples/nextjs/app/sleep/route.ts", commit: COMMIT },
  route: () => async (context) => {
    const input = context.requestPayload as string;
    const result1 = await context.run("step1", async () => {
      const output = someWork(input);
      return output;
    });

    await context.sleepUntil("sleep1", Date.now() / 1000 + 3);

    await context.run("step2", async () => {
      const output = someWork(result1);
      return output;
    });
  },
  options: { payload: "hello" },
  bugs: [],
  notes:
    "Not a bug: the sleepUntil time is read from the clock outside a step, so it differs in every delivery, but the SDK compares only a memoized step's name and type and keeps the recorded sleep. Warnings only (nondeterministic-source, and nondeterminism's input drift).",
};
