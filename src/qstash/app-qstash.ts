import { currentFrame } from "../sandbox/scope.js";
import type { PublishedMessage } from "../types.js";
import { isQStashHost } from "./env.js";

/**
 * The application's own QStash traffic: what user code sends with `@upstash/qstash`'s `Client`
 * (publish, batch, enqueue, schedules, queues, DLQ, URL groups, messages, logs), as opposed to the
 * calls the workflow SDK makes to run the workflow. Both drivers answer it the same way: the user's
 * msw `handlers` first, then this small model, which accepts every call, records what would be
 * sent (`result.published`) and never touches the run's history. Nothing is delivered onwards.
 * Decision record 1500.
 */

const FORWARD_PREFIX = "upstash-forward-";

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

const empty = (status = 200): Response => new Response(null, { status });

/**
 * Whether a QStash request belongs to the workflow SDK running a workflow (answered by the
 * simulator's REST API) rather than to the application. The SDK's messages carry
 * `Upstash-Workflow-RunId` of a run the simulator knows; its other calls use `/v2/wait`,
 * `/v2/notify` and `/v2/workflows/`.
 */
export function isWorkflowTraffic(path: string, headers: Headers | Record<string, string>, knownRun: (runId: string) => boolean, batchBody?: string): boolean {
  const parts = path.split("/").filter(Boolean);
  if (parts[0] !== "v2") return false;
  const kind = parts[1];
  if (kind === "wait" || kind === "notify" || kind === "workflows") return true;
  if (kind === "publish") {
    const get = (name: string) => (headers instanceof Headers ? headers.get(name) : lower(headers)[name]) ?? undefined;
    const runId = get("upstash-workflow-runid");
    if (!runId) return false;
    // A trigger of a new run (the workflow Client's trigger) is the app's; invoke and call results are the SDK's.
    return get("upstash-workflow-invoke") === "true" || knownRun(runId);
  }
  if (kind === "batch" && batchBody !== undefined) {
    try {
      const messages = JSON.parse(batchBody) as Array<{ headers?: Record<string, string> }>;
      return Array.isArray(messages) && messages.some((m) => {
        const runId = lower(m.headers ?? {})["upstash-workflow-runid"];
        return runId !== undefined && knownRun(runId);
      });
    } catch {
      return false;
    }
  }
  return false;
}

function lower(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** The parts of a message's headers that say what is sent: forwarded headers, delay, not-before. */
function messageOf(
  api: PublishedMessage["api"],
  destination: string,
  rawHeaders: Record<string, string>,
  body: string | undefined,
  id: string,
  extra: Partial<PublishedMessage> = {},
): PublishedMessage {
  const headers = lower(rawHeaders);
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(FORWARD_PREFIX)) forwarded[name.slice(FORWARD_PREFIX.length)] = value;
  }
  if (headers["content-type"] !== undefined) forwarded["content-type"] = headers["content-type"];
  const frame = currentFrame();
  return {
    api,
    destination,
    body: body === "" ? undefined : body,
    headers: forwarded,
    ...(headers["upstash-delay"] !== undefined ? { delay: headers["upstash-delay"] } : {}),
    ...(headers["upstash-not-before"] !== undefined ? { notBefore: Number(headers["upstash-not-before"]) } : {}),
    ...(headers["upstash-method"] !== undefined ? { method: headers["upstash-method"] } : {}),
    ...(headers["upstash-cron"] !== undefined ? { cron: headers["upstash-cron"] } : {}),
    ...extra,
    messageId: id,
    ...(frame && !frame.harness ? { invocation: frame.invocation } : {}),
  };
}

interface Schedule {
  scheduleId: string;
  destination: string;
  cron: string;
  body?: string;
  createdAt: number;
  isPaused: boolean;
}

/** One replay's model of the application's QStash account. */
export class AppQStash {
  /** Messages and schedules accepted, in order. */
  readonly published: PublishedMessage[] = [];
  private seq = 0;
  private readonly schedules = new Map<string, Schedule>();
  private readonly queues = new Map<string, { name: string; parallelism: number; paused: boolean; createdAt: number }>();
  private readonly urlGroups = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  private id(prefix: string): string {
    return `${prefix}_app_${++this.seq}`;
  }

  /** Answers a request to a QStash host; undefined for any other host. */
  async answer(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!isQStashHost(url) || !url.pathname.startsWith("/v2/")) return undefined;
    const method = request.method.toUpperCase();
    const parts = url.pathname.split("/").slice(2);
    const headers = Object.fromEntries(request.headers.entries());
    const text = method === "GET" || method === "HEAD" ? "" : await request.text();
    const [kind, a, b] = parts.map((p) => decodeURIComponent(p));
    switch (kind) {
      case "publish": {
        const destination = decodeURIComponent(url.pathname.slice("/v2/publish/".length)) + url.search;
        const message = messageOf("publish", destination, headers, text, this.id("msg"));
        this.published.push(message);
        return json(isUrl(destination) ? { messageId: message.messageId, url: destination } : [{ messageId: message.messageId, url: destination }]);
      }
      case "enqueue": {
        const destination = decodeURIComponent(url.pathname.split("/").slice(4).join("/")) + url.search;
        const message = messageOf("enqueue", destination, headers, text, this.id("msg"), { queue: a! });
        this.published.push(message);
        return json({ messageId: message.messageId, url: destination });
      }
      case "batch": {
        const messages = JSON.parse(text || "[]") as Array<{ destination: string; headers?: Record<string, string>; body?: string; queue?: string }>;
        const answers = messages.map((m) => {
          const message = messageOf(m.queue ? "enqueue" : "batch", m.destination, m.headers ?? {}, m.body, this.id("msg"), m.queue ? { queue: m.queue } : {});
          this.published.push(message);
          return { messageId: message.messageId, url: m.destination };
        });
        return json(answers);
      }
      case "schedules":
        return this.schedule(method, url, parts, headers, text);
      case "queues":
        return this.queue(method, a, b, text);
      case "topics":
        return this.urlGroup(method, a, b, text);
      case "dlq":
        if (method === "GET") return json(a ? failureNotFound(`DLQ message ${a}`) : { messages: [] }, a ? 404 : 200);
        if (method === "POST" && a === "retry") return json({ responses: [] });
        if (method === "DELETE") return a ? empty() : json({ deleted: 0 });
        break;
      case "messages":
        if (method === "GET" && a) {
          const message = this.published.find((m) => m.messageId === a);
          return message ? json({ messageId: a, url: message.destination, body: message.body, createdAt: this.now() }) : json(failureNotFound(`message ${a}`), 404);
        }
        if (method === "DELETE") return a ? empty(202) : json({ cancelled: 0 });
        break;
      case "events":
      case "logs":
        if (method === "GET") return json({ events: [], cursor: undefined });
        break;
      case "keys":
        if (method === "GET") return json({ current: "sig_app_current", next: "sig_app_next" });
        break;
      case "flowControl":
      case "globalParallelism":
        if (method === "GET") return json(kind === "flowControl" && !a ? [] : {});
        return empty();
    }
    return json({ error: `[workflow-replay] Failed to answer ${method} ${url.pathname}: the QStash model accepts the application's messages, schedules, queues, URL groups and DLQ calls, not this one. Answer it with an msw handler in the "handlers" option.` }, 501);
  }

  private schedule(method: string, url: URL, parts: string[], headers: Record<string, string>, body: string): Response {
    const [, idOrDestination, action] = parts.map((p) => decodeURIComponent(p));
    if (method === "POST" && idOrDestination) {
      const destination = decodeURIComponent(url.pathname.slice("/v2/schedules/".length));
      const scheduleId = lower(headers)["upstash-schedule-id"] ?? this.id("scd");
      const message = messageOf("schedule", destination, headers, body, scheduleId);
      this.published.push(message);
      this.schedules.set(scheduleId, { scheduleId, destination, cron: message.cron ?? "", ...(message.body !== undefined ? { body: message.body } : {}), createdAt: this.now(), isPaused: false });
      return json({ scheduleId });
    }
    if (method === "GET") {
      if (!idOrDestination) return json([...this.schedules.values()]);
      const schedule = this.schedules.get(idOrDestination);
      return schedule ? json(schedule) : json(failureNotFound(`schedule ${idOrDestination}`), 404);
    }
    if (method === "DELETE" && idOrDestination) {
      this.schedules.delete(idOrDestination);
      return empty();
    }
    if (method === "PATCH" && idOrDestination && (action === "pause" || action === "resume")) {
      const schedule = this.schedules.get(idOrDestination);
      if (schedule) schedule.isPaused = action === "pause";
      return empty();
    }
    return json({ error: `[workflow-replay] Failed to answer ${method} ${url.pathname}: not a schedules call the QStash model knows.` }, 501);
  }

  private queue(method: string, name: string | undefined, action: string | undefined, body: string): Response {
    if (method === "POST" && !name) {
      const request = JSON.parse(body || "{}") as { queueName?: string; parallelism?: number; paused?: boolean };
      const queueName = request.queueName ?? "";
      this.queues.set(queueName, { name: queueName, parallelism: request.parallelism ?? 1, paused: request.paused ?? false, createdAt: this.now() });
      return empty();
    }
    if (method === "GET") {
      if (!name) return json([...this.queues.values()].map(queueView));
      const queue = this.queues.get(name);
      return queue ? json(queueView(queue)) : json(failureNotFound(`queue ${name}`), 404);
    }
    if (method === "DELETE" && name) {
      this.queues.delete(name);
      return empty();
    }
    if (method === "POST" && name && (action === "pause" || action === "resume")) {
      const queue = this.queues.get(name);
      if (queue) queue.paused = action === "pause";
      return empty();
    }
    return json({ error: `[workflow-replay] Failed to answer ${method} /v2/queues: not a queues call the QStash model knows.` }, 501);
  }

  private urlGroup(method: string, name: string | undefined, sub: string | undefined, body: string): Response {
    if (name && sub === "endpoints" && (method === "POST" || method === "DELETE")) {
      const endpoints = JSON.parse(body || "{}") as { endpoints?: Array<{ url?: string; name?: string }> };
      const group = this.urlGroups.get(name) ?? new Set<string>();
      for (const e of endpoints.endpoints ?? []) {
        const key = e.url ?? e.name ?? "";
        if (method === "POST") group.add(key);
        else group.delete(key);
      }
      this.urlGroups.set(name, group);
      return empty();
    }
    const view = (n: string) => ({ name: n, endpoints: [...(this.urlGroups.get(n) ?? [])].map((u) => ({ url: u })), createdAt: 0, updatedAt: 0 });
    if (method === "GET") {
      if (!name) return json([...this.urlGroups.keys()].map(view));
      return this.urlGroups.has(name) ? json(view(name)) : json(failureNotFound(`URL group ${name}`), 404);
    }
    if (method === "DELETE" && name) {
      this.urlGroups.delete(name);
      return empty();
    }
    return json({ error: `[workflow-replay] Failed to answer ${method} /v2/topics: not a URL groups call the QStash model knows.` }, 501);
  }
}

function isUrl(destination: string): boolean {
  return /^https?:\/\//.test(destination);
}

function failureNotFound(what: string): { error: string } {
  return { error: `[workflow-replay] ${what} was not created during this replay` };
}

function queueView(queue: { name: string; parallelism: number; paused: boolean; createdAt: number }) {
  return { name: queue.name, parallelism: queue.parallelism, paused: queue.paused, createdAt: queue.createdAt, updatedAt: queue.createdAt, lag: 0 };
}
