import { createDetectors } from "../detectors/index.js";
import type { ObservedOwner } from "../detectors/track-effects.js";
import type { Endpoint, EndpointDelivery } from "../engine/wire-types.js";
import { ReplayUsageError } from "../errors.js";
import { SHARED_OPTION_NAMES, validateSharedOptions } from "../options.js";
import { resolveRuntimeOptions } from "../runtime/options.js";
import { serializePayload } from "../runtime/payload.js";
import { runResult } from "../runtime/result.js";
import { withRuntime } from "../runtime/runtime.js";
import { currentFrame } from "../sandbox/scope.js";
import type { ReplayOptions, ReplayResult } from "../types.js";
import { nanoid } from "../util/prng.js";
import { simulatorSigningKeys } from "./env.js";
import { QStashRestApi } from "./rest-api.js";
import { guardSdkPromises, unawaitedStepFindings } from "./sdk-promises.js";
import { currentSdkScope } from "./sdk-scope.js";
import type { SignatureMode, SigningKeys } from "./signing.js";
import { WireEndpoint, type WorkflowHandler } from "./wire-endpoint.js";

/** Options of {@link replayHandler}: those of `replay()` that QStash owns, plus signing. */
export interface ReplayHandlerOptions<TPayload = unknown>
  extends Omit<ReplayOptions<TPayload>, "workflows" | "failureFunction" | "env" | "initialPayloadParser" | "schema" | "perturb"> {
  /**
   * Child workflows reachable by `context.invoke` / `context.call({ workflow })`: an array of
   * workflow ids served by the same handler (`serveMany`), or handlers keyed by workflow id.
   */
  workflows?: readonly string[] | Record<string, WorkflowHandler>;
  /** How deliveries are signed. Default `"valid"` (like QStash). */
  signature?: SignatureMode;
  /** Keys to sign with when the handler verifies with keys of its own. Default: those of `simulatorEnv()`. */
  signingKeys?: SigningKeys;
  /**
   * Whether the trigger configured a failure callback. `"auto"` (default): QStash calls it when the
   * run fails, and a handler without `failureFunction` answering "not found" is not counted, so the
   * result matches `replay()` without `failureFunction`.
   */
  failureCallback?: boolean | "auto";
}

const SERVE_OPTIONS = ["env", "failureFunction", "initialPayloadParser", "schema"] as const;
const KNOWN = new Set<string>([...SHARED_OPTION_NAMES, "signature", "signingKeys", "failureCallback"]);

function validate(handler: unknown, options: ReplayHandlerOptions<unknown>): void {
  if (typeof handler !== "function") {
    throw new ReplayUsageError(
      `Failed to replay the handler: expected a function (request: Request) => Promise<Response>, got ${handler === null ? "null" : typeof handler}. Pass serve(route).handler, or wrap your adapter with fromNextjs(), fromHono(), fromExpress(), fromCloudflare(), fromH3(), fromSvelteKit(), fromSolidStart(), fromAstro(), fromTanStack() or fromReactRouter().`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new ReplayUsageError(`Failed to replay the handler: options must be an object, got ${options === null ? "null" : typeof options}.`);
  }
  for (const key of Object.keys(options)) {
    if ((SERVE_OPTIONS as readonly string[]).includes(key)) {
      throw new ReplayUsageError(
        `Failed to replay the handler: "${key}" is an option of serve(), not of replayHandler(). The handler runs the real SDK: pass it to serve(route, { ${key} }) when you build the handler.`,
      );
    }
    if (!KNOWN.has(key)) {
      throw new ReplayUsageError(`Failed to replay the handler: unknown option "${key}". Known options: ${[...KNOWN].join(", ")}.`);
    }
  }
  validateSharedOptions(options as ReplayOptions<unknown>, "replay the handler");
  const signature = options.signature;
  if (signature !== undefined && !["valid", "missing", "wrong-key", "wrong-body"].includes(signature)) {
    throw new ReplayUsageError(`Failed to replay the handler: "signature" must be "valid", "missing", "wrong-key" or "wrong-body", got ${JSON.stringify(signature)}.`);
  }
  const dev = process.env.QSTASH_DEV;
  if (dev !== undefined && dev !== "" && dev !== "false" && dev !== "0") {
    throw new ReplayUsageError(
      `Failed to replay the handler: QSTASH_DEV is set to "${dev}" in process.env, so the SDK would start and trust the QStash dev server instead of the simulator. Unset QSTASH_DEV for tests.`,
    );
  }
}

/**
 * Drives a real `serve()` handler the way QStash does, against an in-process QStash simulator:
 * every delivery is the exact signed HTTP request QStash sends, every QStash REST call the SDK makes
 * is answered in memory, time is virtual, and nothing leaves the process. Returns the same
 * `ReplayResult` as `replay()`; never throws for a failed run.
 *
 * Build the handler with `simulatorEnv()` as its env so its QStash client points at the simulator
 * (requests to QStash's real hosts are answered by the simulator too).
 *
 * @example
 * ```ts
 * import { serve } from "@upstash/workflow";
 * import { replayHandler, simulatorEnv } from "workflow-replay";
 *
 * const { handler } = serve(async (context) => {
 *   const a = await context.run("one", () => 1);
 *   return await context.run("two", () => a + 1);
 * }, { env: simulatorEnv() });
 *
 * const result = await replayHandler(handler, { payload: { id: 7 } });
 * result.status;      // "completed"
 * result.output;      // 2
 * result.invocations; // 3
 * ```
 */
export async function replayHandler<TResult = unknown>(
  handler: WorkflowHandler,
  options: ReplayHandlerOptions<unknown> = {},
): Promise<ReplayResult<TResult>> {
  validate(handler, options);
  const payload = serializePayload(options.payload);
  return runHandler(handler, options, payload) as Promise<ReplayResult<TResult>>;
}


/** `Array.isArray` that narrows a readonly list too. */
const isWorkflowList = (workflows: NonNullable<ReplayHandlerOptions["workflows"]>): workflows is readonly string[] => Array.isArray(workflows);

async function runHandler(handler: WorkflowHandler, options: ReplayHandlerOptions<unknown>, payload: string | undefined): Promise<ReplayResult> {
  const resolved = resolveRuntimeOptions(options, "replay the handler");
  return withRuntime(resolved, async (runtime) => {
    const tokenPrng = runtime.streams.token;
    const detectors = createDetectors(resolved.checks);
    const observer = detectors.observer;
    // trackEffects() reaches the observer through the frame's owner; through a handler its calls are
    // attributed by the SDK's frames on the stack, like reads and requests (inside a step: not reported).
    const owner: ObservedOwner = {
      observer: observer?.effectSeen
        ? {
            effectSeen(event) {
              const scope = currentSdkScope();
              if (scope.inStep) return;
              const location = scope.location;
              observer.effectSeen!({ ...event, frame: { ...event.frame, dryRun: scope.dryRun }, location: () => location });
            },
          }
        : undefined,
    };
    const failureCallback = options.failureCallback ?? "auto";
    let current: EndpointDelivery | undefined;

    const endpointOf = (fn: WorkflowHandler): WireEndpoint =>
      new WireEndpoint({
        handler: fn,
        owner,
        keys: options.signingKeys ?? simulatorSigningKeys(),
        signature: options.signature ?? "valid",
        failureCallback: failureCallback !== false,
        deliveryTimeout: resolved.deliveryTimeout,
        observer,
        now: () => sim.now,
        tokenId: () => nanoid(tokenPrng, 21),
        onDelivery: (delivery) => (current = delivery),
      });
    const rootEndpoint = endpointOf(handler);
    const children = new Map<string, Endpoint>();
    const endpointFor = (workflowId: string): Endpoint | undefined => {
      const workflows = options.workflows;
      if (!workflows) return undefined;
      if (isWorkflowList(workflows)) return workflows.includes(workflowId) ? rootEndpoint : undefined;
      const fn = workflows[workflowId];
      if (!fn) return undefined;
      let endpoint = children.get(workflowId);
      if (!endpoint) children.set(workflowId, (endpoint = endpointOf(fn)));
      return endpoint;
    };

    const sim = runtime.startSimulator({
      endpointFor,
      onDelivery(run, record) {
        // "auto": a failure callback the handler has no failureFunction for was never configured.
        if (failureCallback === "auto" && record.kind === "failure-callback" && record.outcome === "failure-callback-undefined") {
          run.deliveries.pop();
          run.invocations -= 1;
        }
      },
    });
    const api = new QStashRestApi({ sim, currentPort: () => current?.port });

    runtime.patchGlobals({
      onRead(source) {
        const frame = currentFrame();
        if (!frame || frame.owner !== owner || frame.harness || !observer?.readSeen) return;
        const scope = currentSdkScope();
        if (scope.inStep || !scope.location) return;
        const location = scope.location;
        observer.readSeen({ frame: { ...frame, dryRun: scope.dryRun }, source, location: () => location });
      },
    });
    runtime.installTimers();
    const guard = guardSdkPromises(() => current?.invocation);
    runtime.defer(async () => {
      await guard.stop();
    });
    runtime.interceptNetwork({
      internal: (request) => api.answer(request),
      fallback: (request) => runtime.appQStash.answer(request),
      onRequest(request) {
        const frame = currentFrame();
        if (!frame || frame.owner !== owner || frame.harness || !observer?.requestSeen) return;
        const scope = currentSdkScope();
        if (scope.inStep) return;
        const location = scope.location;
        observer.requestSeen({ frame: { ...frame, dryRun: scope.dryRun }, method: request.method, url: request.url, location: () => location });
      },
    });
    const run = sim.startRun({
      workflowRunId: resolved.workflowRunId,
      url: resolved.url,
      payload,
      headers: resolved.headers,
      labels: resolved.labels,
      retries: resolved.retries,
      endpoint: rootEndpoint,
    });
    await sim.runToEnd();
    // No perturbation passes: they re-run a route function, and a handler hides it.
    return runResult(runtime, run, async (partial) => {
      const caught = await guard.stop();
      return [...(await detectors.finish(partial, async () => [])), ...unawaitedStepFindings(caught, resolved.checks?.["unawaited-step"])];
    });
  });
}
