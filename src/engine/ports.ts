import type { Step } from "@upstash/workflow";
import type { QStashPort } from "../context/io.js";
import { durationToSeconds } from "../util/duration.js";
import { HOP_MS, QSTASH_BASE_URL, SIMULATOR_USER_ID } from "./constants.js";
import type { SimulationCore } from "./core.js";
import type { RunState } from "./wire-types.js";

/** The QStash API as seen by the code of one run: what it publishes goes into that run. */
export function portFor(core: SimulationCore, run: RunState): QStashPort {
  const open = () => run.status === "running";
  return {
    submitStep(step, options) {
      core.noteSubmitted(step);
      if (!open()) return;
      if (step.stepType === "CreateWebhook" && typeof step.out === "string") {
        try {
          const { eventId } = JSON.parse(step.out) as { eventId: string };
          run.webhookSteps.set(eventId, step.stepName);
        } catch {
          // not a webhook body; nothing to map
        }
      }
      let delay = 0;
      let at: number | undefined;
      if (options?.delay !== undefined) delay = (durationToSeconds(options.delay) ?? 0) * 1000;
      if (options?.notBefore !== undefined) at = Math.max(core.now, options.notBefore * 1000) + HOP_MS;
      core.appendStep(run, step, HOP_MS + delay, at);
    },
    submitCall(call) {
      core.noteSubmitted({ stepId: call.stepId, stepName: call.stepName, stepType: "Call", concurrent: call.concurrent } as Step);
      if (!open()) return;
      core.enqueue(HOP_MS, { type: "call", runId: run.workflowRunId, call, attempt: 0, messageId: core.messageId() });
    },
    submitWait(wait) {
      core.noteSubmitted({ ...wait.step, waitEventId: wait.eventId, timeout: wait.timeout } as Step);
      if (!open()) return;
      core.registerWait(run, wait);
    },
    notify(eventId, eventData, workflowRunId) {
      return core.notify(eventId, eventData, workflowRunId);
    },
    submitInvoke(invoke) {
      core.noteSubmitted(invoke.step);
      if (!open()) return;
      core.startChild(run, invoke);
    },
    webhookBase() {
      return { baseUrl: QSTASH_BASE_URL, userId: SIMULATOR_USER_ID };
    },
    deleteRun(body, cancel) {
      if (cancel) core.endRun(run, "cancelled");
      else core.endRun(run, "completed", undefined, body);
    },
  };
}

/** A port for code that must not affect any run (failure functions, perturbation passes, the history walker). */
export function closedPort(): QStashPort {
  return {
    submitStep() {},
    submitCall() {},
    submitWait() {},
    notify: () => [],
    submitInvoke() {},
    webhookBase: () => ({ baseUrl: QSTASH_BASE_URL, userId: SIMULATOR_USER_ID }),
    deleteRun() {},
  };
}
