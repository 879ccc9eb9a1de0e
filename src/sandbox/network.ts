import { BatchInterceptor } from "@mswjs/interceptors";
import { ClientRequestInterceptor } from "@mswjs/interceptors/ClientRequest";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { XMLHttpRequestInterceptor } from "@mswjs/interceptors/XMLHttpRequest";
import type { RequestHandler } from "msw";

export interface NetworkController {
  /** The harness's own endpoints (the QStash simulator): answered first and never reported. */
  internal?: (request: Request) => Promise<Response | undefined>;
  /** The user's msw handlers. */
  handlers: readonly RequestHandler[];
  /** Answers what no user handler answered (the application's own QStash calls), before the request fails. */
  fallback?: (request: Request) => Promise<Response | undefined>;
  /** Called for every request the workflow makes (after the internal ones are filtered out). */
  onRequest(request: Request): void;
}

/** The message an unhandled request fails with: names the URL and the handler to add. */
export function unhandledRequestMessage(request: Request): string {
  const method = request.method.toLowerCase();
  const helper = ["get", "post", "put", "patch", "delete", "head", "options"].includes(method) ? method : "all";
  const url = new URL(request.url);
  const where = `${url.origin}${url.pathname}`;
  return (
    `[workflow-replay] Failed to answer ${request.method} ${request.url}: no request handler matches it, and nothing leaves the process during a replay. ` +
    `Add a handler to the "handlers" option, for example: http.${helper}("${where}", () => HttpResponse.json({ ok: true })).`
  );
}

/** Answers a request from msw handlers; undefined when none matches. */
export async function answerWithHandlers(
  handlers: readonly RequestHandler[],
  request: Request,
): Promise<Response | undefined> {
  if (handlers.length === 0) return undefined;
  const { getResponse } = await loadMsw();
  return getResponse(handlers as RequestHandler[], request);
}

let msw: Promise<typeof import("msw")> | undefined;

/**
 * msw, loaded on the first request a handler answers, not when the package is imported: msw 3 and
 * msw 2's dependencies are ESM-only, which jest's CommonJS runtime cannot require, and a run
 * without handlers needs nothing from msw (decision 1402). The CJS build turns this into require().
 */
function loadMsw(): Promise<typeof import("msw")> {
  return (msw ??= import("msw"));
}

/**
 * Intercepts every outgoing request of the process (fetch, http/https, XMLHttpRequest) for the
 * duration of a replay. Returns the function that removes the interception.
 */
export function interceptNetwork(ctrl: NetworkController): () => void {
  const interceptor = new BatchInterceptor({
    name: "workflow-replay",
    interceptors: [new ClientRequestInterceptor(), new FetchInterceptor(), new XMLHttpRequestInterceptor()],
  });
  interceptor.on("request", async ({ request, controller }) => {
    if (ctrl.internal) {
      const internal = await ctrl.internal(request);
      if (internal) {
        controller.respondWith(internal);
        return;
      }
    }
    ctrl.onRequest(request);
    const response = await answerWithHandlers(ctrl.handlers, request.clone());
    if (response) {
      controller.respondWith(response);
      return;
    }
    const fallback = ctrl.fallback ? await ctrl.fallback(request.clone()) : undefined;
    if (fallback) {
      controller.respondWith(fallback);
      return;
    }
    controller.errorWith(new TypeError(unhandledRequestMessage(request)));
  });
  interceptor.apply();
  return () => interceptor.dispose();
}
