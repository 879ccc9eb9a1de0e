import type { CallSubmission } from "../context/io.js";
import { withDeadline } from "../sandbox/deadline.js";
import { answerWithHandlers, handlerFailedMessage, unhandledRequestMessage } from "../sandbox/network.js";
import { bytesToBinaryString } from "../util/base64.js";
import { nanoid } from "../util/prng.js";
import { HOP_MS } from "./constants.js";
import type { SimulationCore } from "./core.js";
import type { Message } from "./message-queue.js";
import { backoffMs } from "./retries.js";
import { headerRecord, type CallbackPayload, type RunState } from "./wire-types.js";
import { OPTION_DEFAULTS } from "../defaults.js";

/** The retries a run started by `context.call({ workflow })` gets: QStash's default. */
const SIBLING_RETRIES = 3;

/**
 * QStash performs a `context.call`: the request goes to the msw handlers (or starts a sibling
 * workflow), the answer comes back as a callback delivery, and a failed attempt is retried.
 */
export async function performCall(core: SimulationCore, message: Extract<Message, { type: "call" }>): Promise<void> {
  const run = core.runs.get(message.runId);
  if (!run || run.status !== "running") return;
  const { call } = message;
  let response: Response | undefined;
  const startedAt = core.now;
  const sibling = siblingWorkflow(core, run, call.url);
  if (sibling) {
    response = triggerSibling(core, sibling, call);
  } else {
    const request = new Request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.method === "GET" || call.method === "HEAD" ? undefined : call.body,
    });
    // the target's own timers (msw's delay()) pass on the virtual clock while QStash waits; the whole
    // answer, body included, is under a real deadline (delay("infinite"), a stream that never ends)
    const ms = core.options.callTimeout ?? OPTION_DEFAULTS.deliveryTimeout;
    const stalled = Symbol("stalled");
    let failure: { error: unknown } | undefined;
    const outcome = await withDeadline(
      core.timers.drive(async () => {
        try {
          const answered = await answerWithHandlers(core.options.handlers, request);
          response = answered ? new Response(await answered.arrayBuffer(), answered) : undefined;
        } catch (error) {
          failure = { error };
        }
      }),
      ms,
      () => stalled,
    );
    if (outcome === stalled) {
      core.halt(
        {
          name: "ReplayTimeoutError",
          status: 0,
          message: `[workflow-replay] Failed to perform context.call "${call.stepName}" (${call.method} ${call.url}): its request handler did not answer within ${ms} ms (a delay("infinite"), a promise that never settles). Make the handler answer, or raise the deliveryTimeout option.`,
        },
        run,
      );
      return;
    }
    if (failure) {
      core.halt({ name: "HandlerError", status: 0, message: handlerFailedMessage(request, failure.error) + ` (context.call "${call.stepName}")` }, run);
      return;
    }
    if (!response) {
      core.halt({ name: "UnhandledRequestError", status: 0, message: unhandledRequestMessage(request) + ` (context.call "${call.stepName}")` }, run);
      return;
    }
  }
  run.calls.push({ stepName: call.stepName, stepId: call.stepId, url: call.url, attempt: message.attempt, status: response.status, durationMs: core.now - startedAt });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const ok = response.status >= 200 && response.status < 300;
  const payload: CallbackPayload = {
    status: response.status,
    header: headerRecord(response.headers),
    body: Buffer.from(bytesToBinaryString(bytes), "latin1").toString("base64"),
    retried: message.attempt,
    maxRetries: call.retries,
    url: call.url,
    method: call.method,
    sourceMessageId: message.messageId,
    stepId: call.stepId,
    stepName: call.stepName,
    concurrent: call.concurrent,
    contentType: call.headers["content-type"] ?? call.headers["Content-Type"] ?? "application/json",
  };
  core.enqueue(HOP_MS, { type: "callback", runId: run.workflowRunId, payload, retried: 0, messageId: core.messageId() });
  if (!ok && message.attempt < call.retries) {
    const delay = call.retryDelay ? 1000 : backoffMs(message.attempt + 1);
    core.enqueue(delay, { ...message, attempt: message.attempt + 1 });
  }
}

/** The workflow id a call URL names when it points at a registered workflow beside the run's own. */
function siblingWorkflow(core: SimulationCore, run: RunState, url: string): string | undefined {
  const base = run.url.replace(/[^/]+$/, "");
  if (!url.startsWith(base)) return undefined;
  const id = url.slice(base.length).split("?")[0]!;
  return id && !id.includes("/") && core.options.endpointFor(id) ? id : undefined;
}

/** Calling a workflow endpoint starts a run of it; the call's answer is the trigger response. */
function triggerSibling(core: SimulationCore, workflowId: string, call: CallSubmission): Response {
  const endpoint = core.options.endpointFor(workflowId)!;
  const child = core.startRun({
    workflowRunId: `wfr_${nanoid(core.options.prng)}`,
    url: call.url,
    payload: call.body,
    headers: call.headers,
    labels: [],
    retries: SIBLING_RETRIES,
    endpoint,
    workflowId,
  });
  return new Response(JSON.stringify({ workflowRunId: child.workflowRunId, finishCondition: "success" }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}
