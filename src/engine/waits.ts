import type { NotifyResponse, Step } from "@upstash/workflow";
import type { WaitSubmission } from "../context/io.js";
import type { EventSpec, WebhookRequestSpec } from "../types.js";
import { encodeBase64 } from "../util/base64.js";
import { durationToSeconds } from "../util/duration.js";
import { HOP_MS, QSTASH_BASE_URL, SIMULATOR_USER_ID } from "./constants.js";
import type { SimulationCore } from "./core.js";
import { canonicalHeaderName, type RunState } from "./wire-types.js";

interface Waiter {
  id: number;
  runId: string;
  eventId: string;
  step: WaitSubmission["step"];
  deadline: number;
}

/** QStash's default wait timeout: seven days. */
const DEFAULT_WAIT_SECONDS = 7 * 86_400;

function isEventSpec(value: unknown): value is EventSpec {
  return typeof value === "object" && value !== null && "data" in value && Object.keys(value).every((k) => k === "data" || k === "after");
}

/**
 * `context.waitForEvent` / `waitForWebhook` on QStash's side: the waiters, their deadlines, the
 * lookback of events notified before the wait, `/v2/notify`, and the scripted events and webhook
 * requests of the options.
 */
export class Waits {
  private readonly waiters: Waiter[] = [];
  private waiterSeq = 0;

  constructor(private readonly core: SimulationCore) {}

  register(run: RunState, wait: WaitSubmission): void {
    const core = this.core;
    const timeoutSeconds = durationToSeconds(wait.timeout) ?? DEFAULT_WAIT_SECONDS;
    const waiter: Waiter = {
      id: ++this.waiterSeq,
      runId: run.workflowRunId,
      eventId: wait.eventId,
      step: wait.step,
      deadline: core.now + timeoutSeconds * 1000,
    };
    this.waiters.push(waiter);
    core.enqueue(0, { type: "wait-timeout", runId: run.workflowRunId, waiterId: waiter.id }, waiter.deadline);
    const stored = run.lookback.get(wait.eventId);
    if (stored !== undefined) {
      run.lookback.delete(wait.eventId);
      this.finish(waiter, stored);
      return;
    }
    if (wait.step.stepType === "WaitForWebhook") {
      const stepName = run.webhookSteps.get(wait.eventId);
      const spec = stepName === undefined ? undefined : core.options.webhooks[stepName];
      if (spec) core.enqueue(HOP_MS, { type: "event", eventId: wait.eventId, data: webhookBody(run, wait.eventId, spec), runId: run.workflowRunId });
      return;
    }
    const events = core.options.events;
    if (Object.prototype.hasOwnProperty.call(events, wait.eventId)) {
      const value = events[wait.eventId];
      const spec: EventSpec = isEventSpec(value) ? value : { data: value };
      if (spec.after === "never") return;
      if (spec.after === "before") {
        // notified with the run id before the wait: QStash's lookback hands it over as the wait starts
        this.finish(waiter, typeof spec.data === "string" ? spec.data : JSON.stringify(spec.data));
        return;
      }
      const delay = spec.after === undefined ? 0 : (durationToSeconds(spec.after) ?? 0) * 1000;
      core.enqueue(HOP_MS + delay, { type: "event", eventId: wait.eventId, data: spec.data, runId: run.workflowRunId });
    }
  }

  /** A wait's deadline passed: it ends as timed out (if it is still waiting). */
  timeout(waiterId: number): void {
    const waiter = this.waiters.find((w) => w.id === waiterId);
    if (waiter) this.finish(waiter, undefined);
  }

  /** `/v2/notify`: wakes every waiter on the event id (of one run when given); with a run id and no waiter, stores it. */
  notify(eventId: string, eventData: unknown, workflowRunId?: string, onlyRun?: string): NotifyResponse[] {
    const body = typeof eventData === "string" ? eventData : JSON.stringify(eventData);
    const target = workflowRunId ?? onlyRun;
    const matching = this.waiters.filter((w) => w.eventId === eventId && (target === undefined || w.runId === target));
    if (matching.length === 0 && workflowRunId !== undefined) {
      this.core.runs.get(workflowRunId)?.lookback.set(eventId, body);
    }
    return matching.map((waiter) => {
      const run = this.core.runs.get(waiter.runId)!;
      this.finish(waiter, body);
      return {
        waiter: { url: run.url, deadline: Math.floor(waiter.deadline / 1000), headers: {}, timeoutUrl: run.url },
        messageId: this.core.messageId(),
        error: "",
      } as unknown as NotifyResponse;
    });
  }

  /** A finished run waits for nothing any more. */
  dropRun(runId: string): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!.runId === runId) this.waiters.splice(i, 1);
  }

  /** QStash ends a wait: with the event's body (`waitTimeout: false`) or, without one, as timed out. */
  private finish(waiter: Waiter, body: string | undefined): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    const run = this.core.runs.get(waiter.runId);
    if (!run || run.status !== "running") return;
    this.core.appendStep(
      run,
      {
        stepId: waiter.step.stepId,
        stepName: waiter.step.stepName,
        stepType: waiter.step.stepType,
        ...(body !== undefined ? { out: encodeBase64(body) } : {}),
        concurrent: waiter.step.concurrent,
        ...(waiter.step.targetStep !== undefined ? { targetStep: waiter.step.targetStep } : {}),
        waitTimeout: body === undefined,
      } as Step,
      HOP_MS,
    );
  }
}

/** The body QStash's webhook endpoint forwards for a scripted webhook request. */
function webhookBody(run: RunState, eventId: string, spec: WebhookRequestSpec): string {
  const url = new URL(QSTASH_BASE_URL);
  const header: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) header[canonicalHeaderName(k)] = [v];
  return JSON.stringify({
    method: spec.method ?? "POST",
    header,
    ...(spec.body !== undefined ? { body: encodeBase64(spec.body) } : {}),
    proto: url.protocol.replace(":", ""),
    host: url.host,
    url: spec.path ?? `/v2/workflows/hooks/${SIMULATOR_USER_ID}/${run.workflowRunId}/${eventId}`,
  });
}
