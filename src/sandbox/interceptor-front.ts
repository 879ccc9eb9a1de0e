import type { Interceptor } from "@mswjs/interceptors";

/** The part of an interceptor's emitter (strict-event-emitter) the front relies on. */
interface ListenerEmitter {
  listeners(event: string): Function[];
  emit(event: string, ...data: unknown[]): boolean;
  prependListener(event: string, listener: Function): unknown;
  removeListener(event: string, listener: Function): unknown;
  listenerCount(event: string): number;
}

/** What the front does with one intercepted request. */
export interface FrontDecision {
  /** Whether the replay answers this request (no other listener sees it); `others`: someone else listens. */
  owns(request: Request, others: boolean): boolean;
  answer(request: Request, controller: { respondWith(response: Response): unknown; errorWith(reason?: unknown): unknown }): Promise<void>;
}

type RequestEvent = { request: Request; requestId: string; controller: Parameters<FrontDecision["answer"]>[1] };
type Running = Interceptor<any> & { emitter: ListenerEmitter };

/** The interceptor applied in this process under `symbol` (ours, the user's msw server's, nock's), if any. */
export function runningInterceptor(symbol: symbol): Running | undefined {
  return (globalThis as Record<symbol, Running | undefined>)[symbol];
}

/**
 * Puts the replay in front of every listener of a running interceptor, for as long as it is installed.
 *
 * Interceptors of one module share one applied instance per kind (fetch, http, XHR): a user's msw
 * server or nock that listens already is that instance, and applying ours would only add a listener
 * behind theirs (theirs answer first, or let the request out). So instead the front is prepended and
 * the emitter's `listeners()` / `emit()` are shadowed: a request the replay owns reaches the front
 * only (the user's handlers never see it, nor its "response" event); any other request reaches the
 * user's listeners in their order, exactly as without the front. Removing the front deletes the
 * shadows: the user's listeners were never moved, so any added or removed meanwhile stay so.
 */
export function installFront(interceptor: Running, decision: FrontDecision): () => void {
  const emitter = interceptor.emitter;
  const own = new Set<string>();
  const proto = Object.getPrototypeOf(emitter) as ListenerEmitter;
  const listenersOf = (event: string) => proto.listeners.call(emitter, event).filter((l) => l !== front);
  const front = async (event: RequestEvent): Promise<void> => {
    const others = listenersOf("request");
    if (decision.owns(event.request, others.length > 0)) {
      own.add(event.requestId);
      await decision.answer(event.request, event.controller);
      return;
    }
    for (const listener of others) await listener.call(emitter, event);
  };
  // For the other events (response, unhandledException): the replay's own requests reach nobody.
  const forward = (event: string) =>
    async function forwarded(data: { requestId?: string }) {
      if (data && typeof data.requestId === "string" && own.has(data.requestId)) {
        if (event === "response") own.delete(data.requestId);
        return;
      }
      for (const listener of listenersOf(event)) await listener.call(emitter, data);
    };
  const forwards = new Map<string, Function>();
  const shadowListeners = function listeners(this: ListenerEmitter, event: string): Function[] {
    if (event === "request") return [front];
    const all = listenersOf(event);
    if (all.length === 0 || own.size === 0) return all;
    let forwarder = forwards.get(event);
    if (!forwarder) forwards.set(event, (forwarder = forward(event)));
    return [forwarder];
  };
  const shadowEmit = function emit(this: ListenerEmitter, event: string, ...data: unknown[]): boolean {
    const first = data[0] as { requestId?: string } | undefined;
    if (first && typeof first.requestId === "string" && own.has(first.requestId)) return true;
    return proto.emit.call(emitter, event, ...data);
  };
  emitter.prependListener("request", front);
  Object.defineProperty(emitter, "listeners", { value: shadowListeners, configurable: true, writable: true });
  Object.defineProperty(emitter, "emit", { value: shadowEmit, configurable: true, writable: true });
  return () => {
    delete (emitter as Partial<ListenerEmitter>).listeners;
    delete (emitter as Partial<ListenerEmitter>).emit;
    emitter.removeListener("request", front);
    own.clear();
  };
}

/** Whether anyone besides the front listens on the interceptor (a user's msw server or nock that reuses it). */
export function hasOtherListeners(interceptor: Running): boolean {
  const emitter = interceptor.emitter as ListenerEmitter & { eventNames?: () => Array<string | symbol> };
  const names = emitter.eventNames?.() ?? ["request", "response", "unhandledException"];
  return names.some((name) => typeof name === "string" && emitter.listenerCount(name) > 0);
}
