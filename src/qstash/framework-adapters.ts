import { ReplayUsageError } from "../errors.js";
import type { WorkflowHandler } from "./wire-endpoint.js";

/**
 * `from*` helpers for the SDK's adapters whose handler takes a framework's request event instead
 * of a `Request`: each builds the event the framework would pass (what the SDK's adapter reads of
 * it, plus the fields user code commonly reads) around the delivery's `Request`. h3 (Nuxt) uses the
 * real `h3` package, since its adapter reads Node's request behind the event.
 */

function usage(what: string, expected: string, got: unknown): never {
  const kind = got === null ? "null" : typeof got;
  throw new ReplayUsageError(`Failed to adapt ${what}: expected ${expected}, got ${kind}.`);
}

type Post<E> = (event: E) => Promise<Response> | Response;

/** The POST function of a `{ POST }` export (or the function itself). */
function postOf<E>(what: string, exports: { POST: Post<E> } | Post<E>): Post<E> {
  const post = typeof exports === "function" ? exports : (exports as { POST?: Post<E> } | undefined)?.POST;
  if (typeof post !== "function") usage(what, "an object with a POST function (what serve() / serveMany() return)", exports);
  return post;
}

/**
 * A SvelteKit `+server.ts` export: `{ POST }` from `serve()` / `serveMany()` of
 * `@upstash/workflow/svelte`. `event` adds fields of the `RequestEvent` your code reads (`locals`,
 * `platform`, `params`).
 *
 * @example
 * ```ts
 * import * as route from "./src/routes/api/workflow/+server";
 * const result = await replayHandler(fromSvelteKit(route), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromSvelteKit(exports: { POST: Post<any> } | Post<any>, event: Record<string, unknown> = {}): WorkflowHandler {
  const post = postOf("the SvelteKit route", exports);
  return async (request) =>
    post({
      request,
      url: new URL(request.url),
      params: {},
      route: { id: new URL(request.url).pathname },
      locals: {},
      platform: undefined,
      isDataRequest: false,
      isSubRequest: false,
      getClientAddress: () => "127.0.0.1",
      setHeaders: () => undefined,
      fetch: globalThis.fetch,
      ...event,
    });
}

/**
 * A SolidStart API route export: `{ POST }` from `serve()` of `@upstash/workflow/solidjs`.
 *
 * @example
 * ```ts
 * import * as route from "./src/routes/api/workflow";
 * const result = await replayHandler(fromSolidStart(route), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromSolidStart(exports: { POST: Post<any> } | Post<any>, event: Record<string, unknown> = {}): WorkflowHandler {
  const post = postOf("the SolidStart route", exports);
  return async (request) => post({ request, params: {}, locals: {}, ...event });
}

/**
 * An Astro endpoint export: `{ POST }` from `serve()` / `serveMany()` of `@upstash/workflow/astro`.
 * The route function's second argument is this `APIContext`; `apiContext` adds fields to it
 * (`locals`, `params`, `site`).
 *
 * @example
 * ```ts
 * import * as endpoint from "./src/pages/api/workflow";
 * const result = await replayHandler(fromAstro(endpoint, { locals: { user: "ada" } }), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromAstro(exports: { POST: Post<any> } | Post<any>, apiContext: Record<string, unknown> = {}): WorkflowHandler {
  const post = postOf("the Astro endpoint", exports);
  return async (request) => {
    const url = new URL(request.url);
    return post({ request, url, params: {}, locals: {}, site: undefined, generator: "Astro", clientAddress: "127.0.0.1", redirect: (to: string, status = 302) => Response.redirect(new URL(to, url), status), ...apiContext });
  };
}

/**
 * A TanStack Start server route handler: `{ POST }` from `serve()` / `serveMany()` of
 * `@upstash/workflow/tanstack` (what you put in `server.handlers` or `.methods()`).
 *
 * @example
 * ```ts
 * import { workflow } from "./src/routes/api/workflow";
 * const result = await replayHandler(fromTanStack(workflow), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromTanStack(exports: { POST: Post<{ request: Request }> } | Post<{ request: Request }>, context: Record<string, unknown> = {}): WorkflowHandler {
  const post = postOf("the TanStack Start route", exports);
  return async (request) => post({ request, params: {}, ...context } as { request: Request });
}

/**
 * A React Router v7 route `action`: what `serve()` / `serveMany()` of `@upstash/workflow/react-router`
 * return, or the route module `{ action }`.
 *
 * @example
 * ```ts
 * import * as route from "./app/routes/api.workflow";
 * const result = await replayHandler(fromReactRouter(route), { url: "https://my.app/api/workflow" });
 * ```
 */
export function fromReactRouter(
  action: ((args: { request: Request }) => Promise<Response> | Response) | { action: (args: { request: Request }) => Promise<Response> | Response },
  context: Record<string, unknown> = {},
): WorkflowHandler {
  const fn = typeof action === "function" ? action : (action as { action?: unknown } | undefined)?.action;
  if (typeof fn !== "function") usage("the React Router action", "the action serve() returns, or a route module with an action", action);
  return async (request) => (fn as (args: { request: Request }) => Promise<Response>)({ request, params: {}, context, ...{} } as { request: Request });
}

/**
 * An h3 / Nuxt event handler: `handler` from `serve()` / `serveMany()` of `@upstash/workflow/h3`
 * (a Nuxt `server/api/*.ts` file's default export). Runs it in a real h3 app (the `h3` package, v1,
 * which Nuxt depends on); the SDK's adapter reads the URL from the `Host` and `X-Forwarded-Proto`
 * headers, which are set from the workflow URL.
 *
 * @example
 * ```ts
 * import workflow from "./server/api/workflow";
 * const result = await replayHandler(await fromH3(workflow), { url: "https://my.app/api/workflow" });
 * ```
 */
export async function fromH3(handler: ((event: any) => unknown) | { handler: (event: any) => unknown }): Promise<WorkflowHandler> {
  const fn = typeof handler === "function" ? handler : (handler as { handler?: unknown } | undefined)?.handler;
  if (typeof fn !== "function") usage("the h3 event handler", "the handler serve() returns (or { handler })", handler);
  let h3: any;
  try {
    const specifier = "h3"; // a variable: the user's h3 is loaded at run time, never bundled
    h3 = await import(specifier);
  } catch {
    throw new ReplayUsageError(`Failed to adapt the h3 event handler: the "h3" package is not installed. Install h3@1 (Nuxt depends on it).`);
  }
  if (typeof h3.toWebHandler !== "function" || typeof h3.createApp !== "function") {
    throw new ReplayUsageError(`Failed to adapt the h3 event handler: the installed "h3" has no createApp()/toWebHandler(); @upstash/workflow/h3 is written for h3 v1 (>= 1.8).`);
  }
  const app = h3.createApp();
  app.use(h3.eventHandler ? h3.eventHandler(fn) : fn);
  const web: (request: Request) => Promise<Response> = h3.toWebHandler(app);
  return async (request) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("host", url.host);
    headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
    return web(new Request(request.url, { method: request.method, headers, body: await request.text() }));
  };
}
