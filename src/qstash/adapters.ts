import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { ReplayUsageError } from "../errors.js";
import { originals } from "../sandbox/globals.js";
import { currentFrame, runInFrame, type ScopeFrame } from "../sandbox/scope.js";
import { allowHarnessEndpoint } from "../sandbox/network.js";
import type { WorkflowHandler } from "./wire-endpoint.js";

/**
 * Thin helpers turning the common `serve()` adapters into one `(request) => Promise<Response>`
 * for {@link replayHandler}.
 */

function usage(what: string, expected: string, got: unknown): never {
  const kind = got === null ? "null" : typeof got;
  throw new ReplayUsageError(`Failed to adapt ${what}: expected ${expected}, got ${kind}.`);
}

/**
 * The generic `serve()` from `@upstash/workflow`: `{ handler }`.
 *
 * @example
 * ```ts
 * import { serve } from "@upstash/workflow";
 * const result = await replayHandler(fromServe(serve(route, { env: simulatorEnv() })));
 * ```
 */
export function fromServe(served: { handler: (request: Request) => Promise<Response> }): WorkflowHandler {
  if (typeof served?.handler !== "function") usage("serve()", "the { handler } object serve() returns", served);
  return (request) => served.handler(request);
}

/**
 * A Next.js App Router export: `{ POST }` from `serve()` or `serveMany()` of `@upstash/workflow/nextjs`.
 *
 * @example
 * ```ts
 * import * as route from "./app/api/workflow/route";
 * const result = await replayHandler(fromNextjs(route), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromNextjs(exports: { POST: (request: Request) => Promise<Response> | Response }): WorkflowHandler {
  if (typeof exports?.POST !== "function") usage("the Next.js route", "an object with a POST function", exports);
  return async (request) => exports.POST(request);
}

/**
 * A Hono app (`app.fetch`), with the bindings `c.env` should see (the SDK reads `c.env` as its env
 * when it has `QSTASH_TOKEN`).
 *
 * @example
 * ```ts
 * const app = new Hono().post("/api/workflow", serve(route));
 * const result = await replayHandler(fromHono(app, simulatorEnv()));
 * ```
 */
export function fromHono(
  app: { fetch: (request: Request, env?: any, ctx?: any) => Response | Promise<Response> },
  env?: Record<string, unknown>,
): WorkflowHandler {
  if (typeof app?.fetch !== "function") usage("the Hono app", "an object with a fetch function (new Hono())", app);
  return async (request) => app.fetch(request, env);
}

/**
 * A Cloudflare Worker export `{ fetch(request, env, ctx) }` (what `serve()` of
 * `@upstash/workflow/cloudflare` returns), with the worker's `env`.
 *
 * @example
 * ```ts
 * const worker = serve(route);
 * const result = await replayHandler(fromCloudflare(worker, simulatorEnv()));
 * ```
 */
export function fromCloudflare(
  worker: { fetch: (...args: any[]) => Response | Promise<Response> },
  env: Record<string, unknown> = {},
): WorkflowHandler {
  if (typeof worker?.fetch !== "function") usage("the Cloudflare worker", "an object with a fetch function", worker);
  const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined };
  return async (request) => worker.fetch(request, env, ctx);
}

/** A handler that owns a server: close it when done. */
export type ClosableHandler = WorkflowHandler & { close(): Promise<void> };

const FRAME_HEADER = "x-workflow-replay-frame";
const HOST_HEADER = "x-workflow-replay-host";
const frames = new Map<string, ScopeFrame>();
let frameSeq = 0;

/**
 * An Express router or app (what `serve()` / `serveMany()` of `@upstash/workflow/express` return),
 * mounted behind `express.json()` on an ephemeral server bound to 127.0.0.1. Deliveries reach it
 * over loopback with the workflow URL's host and protocol; call `close()` when done.
 *
 * @example
 * ```ts
 * import { serve } from "@upstash/workflow/express";
 * const handler = await fromExpress(serve(route, { env: simulatorEnv() }));
 * try {
 *   const result = await replayHandler(handler);
 * } finally {
 *   await handler.close();
 * }
 * ```
 */
export async function fromExpress(routerOrApp: (req: any, res: any, next: any) => void): Promise<ClosableHandler> {
  if (typeof routerOrApp !== "function") usage("the Express router", "the Router serve() returns (or an express app)", routerOrApp);
  let express: any;
  try {
    const mod: any = await import("express");
    express = mod.default ?? mod;
  } catch {
    throw new ReplayUsageError(`Failed to adapt the Express router: the "express" package is not installed. Install it (it is what @upstash/workflow/express serves with).`);
  }
  const app = express();
  app.set("trust proxy", "loopback");
  app.use(express.json({ limit: "50mb" }));
  app.use(express.text({ type: "text/*", limit: "50mb" }));
  app.use(routerOrApp);
  const { createServer } = await import("node:http");
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers[HOST_HEADER];
    if (typeof host === "string") req.headers.host = host;
    const token = req.headers[FRAME_HEADER];
    delete req.headers[HOST_HEADER];
    delete req.headers[FRAME_HEADER];
    const frame = typeof token === "string" ? frames.get(token) : undefined;
    if (frame) runInFrame(frame, () => app(req, res));
    else app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const disallow = allowHarnessEndpoint("127.0.0.1", port);
  const handler = (async (request: Request) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set(HOST_HEADER, url.host);
    headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
    const frame = currentFrame();
    const token = frame ? String(++frameSeq) : undefined;
    if (frame && token) {
      frames.set(token, frame);
      headers.set(FRAME_HEADER, token);
    }
    try {
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
      const response = await originals.fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body,
      });
      return new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
    } finally {
      if (token) frames.delete(token);
    }
  }) as ClosableHandler;
  handler.close = () =>
    new Promise<void>((resolve) => {
      disallow();
      server.close(() => resolve());
    });
  return handler;
}
