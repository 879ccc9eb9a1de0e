import type { Interceptor } from "@mswjs/interceptors";
import { ClientRequestInterceptor } from "@mswjs/interceptors/ClientRequest";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { XMLHttpRequestInterceptor } from "@mswjs/interceptors/XMLHttpRequest";
import type { RequestHandler } from "msw";
import type { ObservedOwner } from "../detectors/track-effects.js";
import { type FrontDecision, hasOtherListeners, installFront, runningInterceptor } from "./interceptor-front.js";
import { userLocation } from "./location.js";
import { currentFrame, fencedFrame, hasAbandonedWork, type ScopeFrame, setFenceHooks } from "./scope.js";
import { armEntryPoints, FETCH_ENTRY_POINTS, HTTP_ENTRY_POINTS } from "./tripwire.js";
import { guardSockets } from "./socket-guard.js";
import { GLOBAL_DISPATCHER, installGlobalDispatcher, replayDispatcher } from "./undici-dispatcher.js";

export interface NetworkController {
  /** The harness's own endpoints (the QStash simulator): answered first and never reported. */
  internal?: (request: Request) => Promise<Response | undefined>;
  /** The user's msw handlers. */
  handlers: readonly RequestHandler[];
  /** Answers what no user handler answered (the application's own QStash calls), before the request fails. */
  fallback?: (request: Request) => Promise<Response | undefined>;
  /** Called for every request the workflow makes (after the internal ones are filtered out). */
  onRequest(request: Request): void;
  /** Answers before the user's handlers: a detector pass's request, from the run's journal. */
  override?: (request: Request) => Promise<Response | Error> | undefined;
  /** Sees the answer every reported request got (from a handler, the fallback, or none). */
  answered?: (request: Request, answer: Response | Error) => void;
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

function abandonedBy(frame: ScopeFrame | undefined): string {
  return frame?.step ? `step '${frame.step.name}'` : "a step";
}

/**
 * The message a request of abandoned work fails with: a step a replay gave up on (its delivery passed
 * the deliveryTimeout) that sends after that replay ended.
 */
export function fencedRequestMessage(request: Request, frame: ScopeFrame | undefined): string {
  return (
    `[workflow-replay] Failed to send ${request.method} ${request.url}: it comes from ${abandonedBy(frame)}, which a replay gave up on when its delivery passed the deliveryTimeout, and that replay already ended. ` +
    `Work an ended replay abandoned reaches neither the network, nor your own mocks, nor a later replay's handlers. Make the step settle within the deliveryTimeout, or raise the option.`
  );
}

/** The message a raw TCP connection of abandoned work fails with (see {@link fencedRequestMessage}). */
export function fencedConnectMessage(target: string, frame: ScopeFrame | undefined): string {
  return (
    `[workflow-replay] Failed to connect to ${target}: the connection comes from ${abandonedBy(frame)}, which a replay gave up on when its delivery passed the deliveryTimeout, and that replay already ended. ` +
    `Work an ended replay abandoned reaches neither the network nor a later replay. Make the step settle within the deliveryTimeout, or raise the option.`
  );
}

/** The message a request fails with when the msw handler that matched it throws. */
export function handlerFailedMessage(request: Request, error: unknown): string {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `[workflow-replay] Failed to answer ${request.method} ${request.url}: the request handler that matched it threw (${reason}). Fix the handler, or return HttpResponse.error() / a 5xx response to simulate a failing service.`;
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

/** The replay's answer to a request it owns: a response, or the error the request fails with. */
async function answerOwned(ctrl: NetworkController, request: Request): Promise<Response | Error> {
  if (ctrl.internal) {
    const internal = await ctrl.internal(request);
    if (internal) return internal;
  }
  const override = ctrl.override?.(request);
  if (override) return override;
  ctrl.onRequest(request);
  const answer = await answerReported(ctrl, request);
  ctrl.answered?.(request, answer);
  return answer;
}

async function answerReported(ctrl: NetworkController, request: Request): Promise<Response | Error> {
  let response: Response | undefined;
  try {
    response = await answerWithHandlers(ctrl.handlers, request.clone());
  } catch (error) {
    return new TypeError(handlerFailedMessage(request, error));
  }
  if (response) return response;
  const fallback = ctrl.fallback ? await ctrl.fallback(request.clone()) : undefined;
  return fallback ?? new TypeError(unhandledRequestMessage(request));
}

/** The interceptors of the harness, one per kind, constructed once per process and applied per replay. */
const KINDS = [ClientRequestInterceptor, FetchInterceptor, XMLHttpRequestInterceptor] as const;
let prepared: Array<Interceptor<any>> | undefined;
let active = false;

/**
 * One of ours still applied after a replay because a user's interceptor started during the replay
 * reuses it (msw's setupServer().listen() in a step, a beforeEach racing a replay): disposing it
 * would take theirs down. It is disposed when its last listener goes.
 */
function disposeWhenAlone(interceptor: Interceptor<any>, symbol: symbol): void {
  const emitter = (interceptor as unknown as { emitter: Record<string, unknown> & { removeListener?: (e: string, l: Function) => unknown } }).emitter;
  if (Object.prototype.hasOwnProperty.call(emitter, "removeListener")) return;
  const proto = Object.getPrototypeOf(emitter) as { removeListener: (e: string, l: Function) => unknown };
  Object.defineProperty(emitter, "removeListener", {
    configurable: true,
    writable: true,
    value(event: string, listener: Function) {
      proto.removeListener.call(emitter, event, listener);
      if (!active && !hasOtherListeners(interceptor as never)) {
        delete emitter.removeListener;
        // A reusing interceptor's dispose() deletes the global registration before removing its
        // listeners; ours must be registered again, or its dispose() would skip restoring the modules.
        const registry = globalThis as Record<symbol, unknown>;
        if (registry[symbol] === undefined) registry[symbol] = interceptor;
        if (registry[symbol] === interceptor) interceptor.dispose();
      }
      return emitter;
    },
  });
}

/**
 * Our interceptors' `logger.extend(domain)` returns one child per domain instead of a new one per
 * call: msw's apply(), on() and dispose() each extend, and every new logger reads DEBUG and LOG_LEVEL
 * from process.env (about 13 µs per replay). The children log exactly as new ones would.
 */
function memoizeLoggers(interceptor: Interceptor<any>): Interceptor<any> {
  const logger = (interceptor as unknown as { logger?: { extend?: (domain: string) => unknown } }).logger;
  if (!logger || typeof logger.extend !== "function") return interceptor;
  const extend = logger.extend.bind(logger);
  const children = new Map<string, unknown>();
  logger.extend = (domain: string) => {
    let child = children.get(domain);
    if (child === undefined) children.set(domain, (child = extend(domain)));
    return child;
  };
  return interceptor;
}

/** Whether the code making a request or a connection right now is a replayed workflow's. */
function workflowCode(): boolean {
  return currentFrame() !== undefined;
}

/** `host:port` of loopback servers the harness itself runs (the Express adapter): its own traffic to them passes. */
const harnessEndpoints = new Set<string>();

/**
 * Lets the harness's own requests to a loopback server it started (the Express adapter's) through the
 * replay's network guard. Returns the function that closes the gap again.
 */
export function allowHarnessEndpoint(host: string, port: number): () => void {
  const key = `${host}:${port}`;
  harnessEndpoints.add(key);
  return () => harnessEndpoints.delete(key);
}

function isHarnessOrigin(origin: string | URL | undefined): boolean {
  if (harnessEndpoints.size === 0 || origin === undefined) return false;
  try {
    return harnessEndpoints.has(new URL(String(origin)).host);
  } catch {
    return false;
  }
}

/**
 * Owns the network for the duration of a replay, next to whatever the user's test installed:
 * fetch, http/https and XMLHttpRequest through the interceptors (in front of a listening msw server's
 * or nock's listeners, when they share the interceptors), the npm `undici` client through its global
 * dispatcher (in front of a user's `MockAgent`), and raw TCP through `net.Socket#connect`. A request
 * of the workflow is answered by the harness's endpoints or the replay's handlers, or fails naming its
 * URL; it never reaches the user's tools and never opens a socket. Anything else passes to the user's
 * tools unchanged. Returns the function that removes all of it.
 */
export function interceptNetwork(ctrl: NetworkController): () => void {
  if (active) throw new Error("[workflow-replay] Internal error: the network is already intercepted. Please report this.");
  lowerFence(); // the replay's own layer fences abandoned work while it runs
  active = true;
  const undo: Array<() => void> = [];
  try {
    prepared ??= KINDS.map((Kind) => memoizeLoggers(new Kind() as Interceptor<any>));
    const decision: FrontDecision = {
      // the harness's own loopback traffic (the Express adapter, whose fetch may be a user's patched one) passes
      owns: (request, others) => fencedFrame() !== undefined || ((!others || workflowCode()) && !isHarnessOrigin(request.url)),
      async answer(request, controller) {
        const fenced = fencedFrame();
        if (fenced) return void (await controller.errorWith(new TypeError(fencedRequestMessage(request, fenced))));
        const answer = await answerOwned(ctrl, request);
        if (answer instanceof Error) await controller.errorWith(answer);
        else await controller.respondWith(answer);
      },
    };
    KINDS.forEach((Kind, i) => {
      const ours = prepared![i]!;
      /** Fronts the running interceptor (applying ours when none runs); returns how to undo it. */
      const front = (): (() => void) | undefined => {
        let running = runningInterceptor(Kind.symbol);
        if (!running) {
          ours.apply();
          running = runningInterceptor(Kind.symbol);
        }
        if (!running) return undefined; // the environment has no such module (XMLHttpRequest outside a DOM)
        const removeFront = installFront(running, decision);
        return () => {
          removeFront();
          if (running !== ours) return;
          if (hasOtherListeners(ours as never)) disposeWhenAlone(ours, Kind.symbol);
          else ours.dispose();
        };
      };
      const entryPoints = Kind === ClientRequestInterceptor ? HTTP_ENTRY_POINTS : Kind === FetchInterceptor ? FETCH_ENTRY_POINTS : undefined;
      if (entryPoints && !runningInterceptor(Kind.symbol)) {
        // http/https and fetch: applied on the first call only (most replays make none; decision 1304).
        // Until then ours holds the registration, so an interceptor applied meanwhile (a user's msw
        // server started in a step) reuses ours instead of wrapping the entry points' wires.
        const registry = globalThis as Record<symbol, unknown>;
        registry[Kind.symbol] = ours;
        let placeholder = true;
        const release = () => {
          if (!placeholder) return;
          placeholder = false;
          if (registry[Kind.symbol] === ours) delete registry[Kind.symbol];
        };
        let undoFront: (() => void) | undefined;
        const disarm = armEntryPoints(entryPoints, () => {
          release();
          undoFront = front();
        });
        undo.push(() => {
          disarm();
          if (undoFront) return undoFront();
          release();
          if (!hasOtherListeners(ours as never)) return;
          // someone reused ours and expects interception: applied for real, disposed when they go
          ours.apply();
          disposeWhenAlone(ours, Kind.symbol);
        });
        return;
      }
      const undoFront = front();
      if (undoFront) undo.push(undoFront);
    });
    undo.push(
      installGlobalDispatcher((previous) =>
        replayDispatcher((origin) => fencedFrame() !== undefined || (workflowCode() && !isHarnessOrigin(origin)), async (request) => {
          const fenced = fencedFrame();
          if (fenced) throw new TypeError(fencedRequestMessage(request, fenced));
          const answer = await answerOwned(ctrl, request);
          if (answer instanceof Error) throw answer;
          return answer;
        }, previous),
      ),
    );
    undo.push(
      guardSockets({
        owns: (target) => fencedFrame() !== undefined || (workflowCode() && !harnessEndpoints.has(target)),
        refusal: fencedRefusal,
        onConnect(target) {
          const frame = currentFrame();
          if (!frame || frame.harness) return;
          const observer = (frame.owner as ObservedOwner).observer;
          observer?.effectSeen?.({ frame, target: `net.connect(${target})`, location: userLocation });
        },
      }),
    );
  } catch (error) {
    stop();
    throw error;
  }
  function stop(): void {
    active = false;
    undoAll(undo);
    if (hasAbandonedWork()) raiseFence();
  }
  return stop;
}

function undoAll(undo: Array<() => void>): void {
  for (const fn of undo.reverse()) {
    try {
      fn();
    } catch {
      // keep undoing the rest
    }
  }
  undo.length = 0;
}

/** The socket guard's message for a connection of abandoned work; undefined for the workflow's own. */
function fencedRefusal(target: string): string | undefined {
  const fenced = fencedFrame();
  return fenced ? fencedConnectMessage(target, fenced) : undefined;
}

/** The network fence between replays, while a step an ended replay abandoned may still run. */
let fence: Array<() => void> | undefined;

/**
 * Raises the fence between replays: a front on each running interceptor (a user's msw server, nock),
 * a dispatcher in undici's global slot and the socket guard, each refusing only the requests of
 * abandoned work ({@link fencedFrame}) and passing everything else through unchanged. Nothing of ours
 * is applied: without a user's interceptor, fetch and undici reach the dispatcher, http the guard.
 */
function raiseFence(): void {
  if (active || fence) return;
  const undo: Array<() => void> = [];
  fence = undo;
  const owns = () => fencedFrame() !== undefined;
  const refuse = (request: Request) => new TypeError(fencedRequestMessage(request, fencedFrame()));
  try {
    const decision: FrontDecision = {
      owns,
      async answer(request, controller) {
        await controller.errorWith(refuse(request));
      },
    };
    for (const Kind of KINDS) {
      const running = runningInterceptor(Kind.symbol);
      if (running) undo.push(installFront(running, decision));
    }
    // without a dispatcher in the slot yet (nothing sent through undici so far) the socket guard covers it
    if (typeof (globalThis as Record<symbol, { dispatch?: unknown } | undefined>)[GLOBAL_DISPATCHER]?.dispatch === "function") {
      undo.push(
        installGlobalDispatcher((previous) =>
          replayDispatcher(owns, async (request) => {
            throw refuse(request);
          }, previous),
        ),
      );
    }
    undo.push(guardSockets({ owns, refusal: fencedRefusal, onConnect() {} }));
  } catch {
    lowerFence();
  }
}

/** Removes the fence (a replay starts, or the last abandoned step settled or was collected). */
function lowerFence(): void {
  const undo = fence;
  fence = undefined;
  if (undo) undoAll(undo);
}

setFenceHooks({ started: raiseFence, ended: lowerFence });
