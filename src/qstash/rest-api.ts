import type { Step } from "@upstash/workflow";
import type { CallSubmission, QStashPort, WaitSubmission } from "../context/io.js";
import type { Simulator } from "../engine/simulator.js";
import type { RunState } from "../engine/wire-types.js";
import { isWorkflowTraffic } from "./app-qstash.js";
import { isQStashHost } from "./env.js";
import { rawSteps } from "./wire-format.js";

/**
 * The simulator's QStash REST API: answers the SDK's outbound calls (`/v2/batch`, `/v2/publish`,
 * `/v2/wait`, `/v2/notify`, `DELETE` and `GET /v2/workflows/runs/{id}`) by translating each into a
 * call on the simulator's `QStashPort` for the run it belongs to.
 */

interface BatchMessage {
  destination: string;
  headers: Record<string, string>;
  body?: string;
}

interface InvokeRequestBody {
  workflowRunId: string;
  step: Step;
  body?: string;
}

interface WaitRequestBody {
  timeout: string;
  timeoutHeaders?: Record<string, string[]>;
  step: WaitSubmission["step"];
}

const FORWARD_PREFIX = "upstash-forward-";

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

function failure(status: number, message: string): Response {
  return json({ error: `[workflow-replay] ${message}` }, status);
}

/** Headers a message forwards to its destination (`Upstash-Forward-*`), with the prefix removed. */
function forwarded(headers: Record<string, string>, keep: (name: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(FORWARD_PREFIX)) continue;
    const target = lower.slice(FORWARD_PREFIX.length);
    if (keep(target)) out[target] = value;
  }
  return out;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

export interface RestApiOptions {
  sim: Simulator;
  /** The port of the delivery in progress (used when a request names no run). */
  currentPort(): QStashPort | undefined;
}

export class QStashRestApi {
  private seq = 0;
  constructor(private readonly options: RestApiOptions) {}

  /** Answers a request to a QStash host; undefined for any other request. */
  async answer(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!isQStashHost(url) || !url.pathname.startsWith("/v2/")) return undefined;
    const parts = url.pathname.split("/").slice(2).map(decodeURIComponent);
    const method = request.method.toUpperCase();
    // The application's own QStash calls are not the workflow's: the user's handlers and the QStash model answer them.
    const batchBody = method === "POST" && parts[0] === "batch" ? await request.clone().text() : undefined;
    if (!isWorkflowTraffic(url.pathname, request.headers, (id) => this.options.sim.runs.has(id), batchBody)) return undefined;
    try {
      if (method === "POST" && parts[0] === "batch") return this.batch(JSON.parse(await request.text()) as BatchMessage[]);
      if (method === "POST" && parts[0] === "publish") {
        const destination = decodeURIComponent(url.pathname.slice("/v2/publish/".length)) + url.search;
        return this.publish(destination, Object.fromEntries(request.headers.entries()), await request.text());
      }
      if (method === "POST" && parts[0] === "wait" && parts[1]) return this.wait(parts[1], JSON.parse(await request.text()) as WaitRequestBody);
      if (method === "POST" && parts[0] === "notify" && parts.length >= 2) {
        const [runId, eventId] = parts.length >= 3 ? [parts[1], parts[2]!] : [undefined, parts[1]!];
        return this.notify(eventId, await request.text(), runId);
      }
      if (parts[0] === "workflows" && parts[1] === "runs" && parts[2]) {
        if (method === "DELETE") return this.deleteRun(parts[2], url.searchParams.get("cancel") === "true", await request.text());
        if (method === "GET") return this.getRun(parts[2]);
      }
    } catch (error) {
      return failure(500, `Failed to answer ${method} ${url.pathname}: ${(error as Error).message}. This is a bug in the QStash simulator; please report it.`);
    }
    return failure(
      501,
      `Failed to answer ${method} ${url.pathname}: the QStash simulator does not implement this API. Only the calls the workflow SDK makes while running a workflow are simulated.`,
    );
  }

  private nextMessageId(): string {
    return `msg_sim_${++this.seq}`;
  }

  private run(runId: string | undefined): RunState | undefined {
    return runId ? this.options.sim.runs.get(runId) : undefined;
  }

  private portOf(runId: string | undefined): QStashPort | undefined {
    const run = this.run(runId);
    return run ? this.options.sim.portFor(run) : this.options.currentPort();
  }

  private batch(messages: BatchMessage[]): Response {
    const answers: Array<{ messageId: string }> = [];
    for (const message of messages) {
      const headers = lowerKeys(message.headers ?? {});
      const runId = headers["upstash-workflow-runid"];
      const port = this.portOf(runId);
      if (!port) return failure(400, `Failed to publish to ${message.destination}: run ${runId ?? "(none)"} is not known to the simulator`);
      if (headers["upstash-workflow-calltype"] === "toCallback") {
        port.submitCall(this.callOf(message, headers));
      } else {
        const step = JSON.parse(message.body ?? "") as Step;
        const delay = headers["upstash-delay"];
        const notBefore = headers["upstash-not-before"];
        port.submitStep(step, {
          ...(delay !== undefined ? { delay } : {}),
          ...(notBefore !== undefined ? { notBefore: Number(notBefore) } : {}),
        });
      }
      answers.push({ messageId: this.nextMessageId() });
    }
    return json(answers);
  }

  private callOf(message: BatchMessage, headers: Record<string, string>): CallSubmission {
    const stepHeader = (name: string) => headers[`upstash-callback-forward-upstash-workflow-${name}`];
    const callHeaders = forwarded(headers);
    if (headers["content-type"] !== undefined) callHeaders["content-type"] = headers["content-type"];
    const retries = headers["upstash-retries"];
    return {
      stepId: Number(stepHeader("stepid")),
      stepName: stepHeader("stepname") ?? "",
      concurrent: Number(stepHeader("concurrent") ?? "1"),
      url: message.destination,
      method: headers["upstash-method"] ?? "POST",
      body: message.body,
      headers: callHeaders,
      retries: retries === undefined ? 0 : Number(retries),
      ...(headers["upstash-retry-delay"] !== undefined ? { retryDelay: headers["upstash-retry-delay"] } : {}),
      ...(headers["upstash-timeout"] !== undefined ? { timeout: headers["upstash-timeout"] } : {}),
    };
  }

  private publish(destination: string, rawHeaders: Record<string, string>, body: string): Response {
    const headers = lowerKeys(rawHeaders);
    if (headers["upstash-workflow-invoke"] === "true") {
      const invoke = JSON.parse(body) as InvokeRequestBody;
      const port = this.portOf(invoke.workflowRunId);
      if (!port) return failure(400, `Failed to invoke ${destination}: run ${invoke.workflowRunId} is not known to the simulator`);
      const childRunId = headers["upstash-workflow-runid"];
      const retries = headers["upstash-retries"];
      const userHeaders = forwarded(headers, (name) => !name.startsWith("upstash-"));
      const invokeCount = headers[`${FORWARD_PREFIX}upstash-workflow-invoke-count`];
      if (invokeCount !== undefined) userHeaders["upstash-workflow-invoke-count"] = invokeCount;
      port.submitInvoke({
        workflowId: new URL(destination).pathname.split("/").pop() ?? "",
        url: destination,
        body: invoke.body,
        headers: userHeaders,
        ...(childRunId ? { workflowRunId: childRunId.replace(/^wfr_/, "") } : {}),
        ...(retries !== undefined ? { retries: Number(retries) } : {}),
        ...(headers["upstash-label"] !== undefined ? { label: headers["upstash-label"] } : {}),
        step: invoke.step,
      });
      return json({ messageId: this.nextMessageId() });
    }
    const port = this.portOf(headers["upstash-workflow-runid"]);
    if (!port) return failure(400, `Failed to publish to ${destination}: the message names no known workflow run`);
    // The result step of a context.call, published by the SDK when it handles the callback.
    port.submitStep(JSON.parse(body) as Step);
    return json({ messageId: this.nextMessageId() });
  }

  private wait(eventId: string, body: WaitRequestBody): Response {
    const runId = body.timeoutHeaders?.["Upstash-Workflow-Runid"]?.[0];
    const port = this.portOf(runId);
    if (!port) return failure(400, `Failed to wait for event ${eventId}: run ${runId ?? "(none)"} is not known to the simulator`);
    port.submitWait({ eventId, timeout: body.timeout, step: body.step });
    return new Response(null, { status: 200 });
  }

  private notify(eventId: string, eventData: string, runId: string | undefined): Response {
    const port = this.options.currentPort() ?? this.portOf(runId);
    if (!port) return json([]);
    return json(port.notify(eventId, eventData, runId));
  }

  private deleteRun(runId: string, cancel: boolean, body: string): Response {
    const port = this.portOf(runId);
    if (!port) return failure(404, `Failed to delete run ${runId}: it is not known to the simulator`);
    port.deleteRun(cancel ? undefined : body === "" ? undefined : body, cancel);
    return new Response(null, { status: 200 });
  }

  private getRun(runId: string): Response {
    const run = this.run(runId);
    if (!run || run.status !== "running") return failure(404, `Run ${runId} is not active`);
    return json(rawSteps(run.log, run.messageIds));
  }
}
