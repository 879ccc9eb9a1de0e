/**
 * The npm `undici` client (its `request`, `fetch`, `stream`, and Node's own fetch underneath the
 * interceptors) sends through the dispatcher stored under this global symbol: `setGlobalDispatcher()`
 * writes it (a user's `MockAgent` included) and `getGlobalDispatcher()` reads it, in every undici
 * version since 5 and in Node's bundled copy.
 */
export const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** The subset of undici's `DispatchOptions` the harness reads. */
interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: unknown;
  body?: unknown;
}

/** Both shapes of undici's dispatch handler: the classic callbacks (every undici) and the v7 controller ones. */
interface DispatchHandler {
  onConnect?(abort: (reason?: unknown) => void, context?: object): void;
  onHeaders?(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean | void;
  onData?(chunk: Buffer): boolean | void;
  onComplete?(trailers: Buffer[] | null): void;
  onError?(error: Error): void;
  onRequestStart?(controller: object, context: object): void;
  onResponseStart?(controller: object, statusCode: number, headers: Record<string, string | string[]>, statusText: string): void;
  onResponseData?(controller: object, chunk: Buffer): void;
  onResponseEnd?(controller: object, trailers: Record<string, string>): void;
  onResponseError?(controller: object, error: Error): void;
}

interface Dispatcher {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
}

function headersOf(raw: unknown): Headers {
  const headers = new Headers();
  if (!raw) return headers;
  if (Array.isArray(raw)) {
    if (raw.length > 0 && Array.isArray(raw[0])) {
      for (const [k, v] of raw as Array<[string, string]>) headers.append(String(k), String(v));
    } else {
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(String(raw[i]), String(raw[i + 1]));
    }
    return headers;
  }
  if (typeof (raw as Headers).forEach === "function" && raw instanceof Headers) return new Headers(raw);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) headers.append(k, String(item));
    else headers.append(k, String(v));
  }
  return headers;
}

async function bodyOf(body: unknown): Promise<Uint8Array | string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" || typeof (body as Iterable<unknown>)[Symbol.iterator] === "function") {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }
  return String(body);
}

/** The request undici was asked to send, as a fetch `Request`. */
export async function requestOf(options: DispatchOptions): Promise<Request> {
  const url = new URL(options.path, options.origin);
  const method = options.method.toUpperCase();
  const body = method === "GET" || method === "HEAD" ? undefined : await bodyOf(options.body);
  return new Request(url, { method, headers: headersOf(options.headers), ...(body !== undefined ? { body: body as BodyInit } : {}) });
}

/** Plays `response` into an undici dispatch handler (either callback shape). */
async function respond(handler: DispatchHandler, response: Response, aborted: () => unknown): Promise<void> {
  const bytes = Buffer.from(await response.arrayBuffer());
  if (aborted()) return;
  const statusText = response.statusText || "";
  if (typeof handler.onHeaders === "function") {
    const raw: Buffer[] = [];
    response.headers.forEach((value, key) => raw.push(Buffer.from(key), Buffer.from(value)));
    handler.onHeaders(response.status, raw, () => {}, statusText);
    if (bytes.length > 0 && !aborted()) handler.onData?.(bytes);
    if (!aborted()) handler.onComplete?.([]);
    return;
  }
  const controller = controllerFor(handler);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    const had = headers[key];
    headers[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  });
  handler.onResponseStart?.(controller, response.status, headers, statusText);
  if (bytes.length > 0 && !aborted()) handler.onResponseData?.(controller, bytes);
  if (!aborted()) handler.onResponseEnd?.(controller, {});
}

const controllers = new WeakMap<DispatchHandler, { aborted: boolean; reason: unknown; paused: boolean; abort(r?: unknown): void; pause(): void; resume(): void }>();
function controllerFor(handler: DispatchHandler) {
  let controller = controllers.get(handler);
  if (!controller) {
    controller = {
      aborted: false,
      reason: undefined,
      paused: false,
      abort(reason?: unknown) {
        this.aborted = true;
        this.reason = reason;
      },
      pause() {
        this.paused = true;
      },
      resume() {
        this.paused = false;
      },
    };
    controllers.set(handler, controller);
  }
  return controller;
}

function fail(handler: DispatchHandler, error: Error): void {
  if (typeof handler.onError === "function") handler.onError(error);
  else handler.onResponseError?.(controllerFor(handler), error);
}

/**
 * A dispatcher for the duration of a replay: requests the replay owns are answered by `answer`
 * (the replay's handlers, or an error naming the URL) and never open a socket; any other request goes
 * to the dispatcher that was installed before (a user's `MockAgent`), unchanged.
 */
export function replayDispatcher(
  owns: (origin: string | URL | undefined) => boolean,
  answer: (request: Request) => Promise<Response>,
  previous: Dispatcher | undefined,
): Dispatcher {
  return {
    dispatch(options, handler) {
      if (previous && !owns(options.origin)) return previous.dispatch(options, handler);
      let aborted = false;
      const abort = (reason?: unknown) => {
        if (aborted) return;
        aborted = true;
        fail(handler, reason instanceof Error ? reason : new Error("The request was aborted."));
      };
      if (typeof handler.onConnect === "function") handler.onConnect(abort, {});
      else if (typeof handler.onRequestStart === "function") {
        const controller = controllerFor(handler);
        controller.abort = (reason?: unknown) => abort(reason);
        handler.onRequestStart(controller, {});
      }
      if (aborted) return true;
      void (async () => {
        try {
          const request = await requestOf(options);
          const response = await answer(request);
          await respond(handler, response, () => aborted);
        } catch (error) {
          if (!aborted) fail(handler, error instanceof Error ? error : new Error(String(error)));
        }
      })();
      return true;
    },
  };
}

/** Installs `dispatcher` as undici's global one; returns the function that puts the previous one back. */
export function installGlobalDispatcher(make: (previous: Dispatcher | undefined) => Dispatcher): () => void {
  const store = globalThis as Record<symbol, unknown>;
  const had = Object.prototype.hasOwnProperty.call(store, GLOBAL_DISPATCHER);
  const descriptor = had ? Object.getOwnPropertyDescriptor(store, GLOBAL_DISPATCHER) : undefined;
  const previous = store[GLOBAL_DISPATCHER] as Dispatcher | undefined;
  const ours = make(previous && typeof previous.dispatch === "function" ? previous : undefined);
  if (descriptor && !descriptor.configurable) {
    // undici defines the slot non-configurable but writable (setGlobalDispatcher): assign in place.
    if (!descriptor.writable) return () => {};
    store[GLOBAL_DISPATCHER] = ours;
    return () => {
      if (store[GLOBAL_DISPATCHER] === ours) store[GLOBAL_DISPATCHER] = previous;
    };
  }
  Object.defineProperty(store, GLOBAL_DISPATCHER, { value: ours, configurable: true, writable: true, enumerable: false });
  return () => {
    // Someone replaced ours during the replay (setGlobalDispatcher): keep theirs.
    if (store[GLOBAL_DISPATCHER] !== ours) return;
    if (descriptor) Object.defineProperty(store, GLOBAL_DISPATCHER, descriptor);
    else delete store[GLOBAL_DISPATCHER];
  };
}
