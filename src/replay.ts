import type { RouteFunction, Step } from "@upstash/workflow";
import { createDetectors } from "./detectors/index.js";
import { perturbationPasses } from "./detectors/perturbation.js";
import type { ObservedOwner } from "./detectors/track-effects.js";
import { MockEndpoint } from "./context/serve/mock-endpoint.js";
import type { Endpoint } from "./engine/wire-types.js";
import { ReplayUsageError } from "./errors.js";
import { SHARED_OPTION_NAMES, validateSharedOptions } from "./options.js";
import { userLocation } from "./sandbox/location.js";
import { RequestJournal } from "./sandbox/request-journal.js";
import { currentFrame } from "./sandbox/scope.js";
import { resolveRuntimeOptions, type RuntimeOptions } from "./runtime/options.js";
import { payloadParser, serializePayload } from "./runtime/payload.js";
import { runResult } from "./runtime/result.js";
import { withRuntime } from "./runtime/runtime.js";
import type { ReplayOptions, ReplayResult } from "./types.js";

/** The shared options, plus those `serve()` takes that replay() plays the part of, plus `perturb`. */
const KNOWN_OPTIONS = new Set<string>([...SHARED_OPTION_NAMES, "env", "failureFunction", "initialPayloadParser", "schema", "perturb"]);

/** @internal Throws the usage error `replay()` throws for this route and these options, if any. */
export function validateReplay(route: unknown, options: ReplayOptions<unknown>): void {
  if (typeof route !== "function") {
    throw new ReplayUsageError(
      `Failed to replay: the route must be the function you pass to serve(), got ${route === null ? "null" : typeof route}.`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new ReplayUsageError(`Failed to replay: options must be an object, got ${options === null ? "null" : typeof options}.`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const known = [...KNOWN_OPTIONS].join(", ");
      throw new ReplayUsageError(`Failed to replay: unknown option "${key}". Known options: ${known}.`);
    }
  }
  validateSharedOptions(options, "replay");
  if (options.workflows !== undefined) {
    if (typeof options.workflows !== "object" || options.workflows === null || Array.isArray(options.workflows)) {
      throw new ReplayUsageError(`Failed to replay: "workflows" must be an object mapping workflow ids to route functions.`);
    }
    for (const [id, fn] of Object.entries(options.workflows)) {
      if (typeof fn !== "function") {
        throw new ReplayUsageError(`Failed to replay: workflows["${id}"] must be a route function, got ${typeof fn}.`);
      }
    }
  }
  if (options.initialPayloadParser && options.schema) {
    throw new ReplayUsageError(`Failed to replay: pass either "schema" or "initialPayloadParser", not both (serve() takes only one).`);
  }
}

/**
 * Replays a workflow the way QStash and the SDK would run it, in memory and on a virtual clock:
 * one delivery per step, the route re-run from the top each time, results served from history.
 * Never throws for a failed run or a finding: it returns them. Throws only for misuse.
 *
 * @example
 * ```ts
 * import { replay } from "workflow-replay";
 *
 * const result = await replay(async (context) => {
 *   const a = await context.run("one", () => 1);
 *   return await context.run("two", () => a + 1);
 * }, { payload: { id: 7 } });
 * result.status;      // "completed"
 * result.output;      // 2
 * result.invocations; // 3
 * ```
 */
export async function replay<TPayload = unknown, TResult = unknown>(
  route: RouteFunction<TPayload, TResult>,
  options: ReplayOptions<TPayload> = {},
): Promise<ReplayResult<TResult>> {
  return replayInternal(route as RouteFunction<unknown, unknown>, options as ReplayOptions<unknown>) as Promise<ReplayResult<TResult>>;
}

/** A recorded run to resume from: QStash redelivers its last message to today's code. */
export interface ResumeFrom {
  steps: Step[];
  workflowRunId: string;
  url: string;
  createdAt: number;
  headers: Record<string, string>;
  payload: string | undefined;
}

/**
 * @internal replay(), optionally resuming a recorded history with options the caller resolved
 * already (used by replayHistory).
 */
export async function replayInternal(
  route: RouteFunction<unknown, unknown>,
  options: ReplayOptions<unknown>,
  resume?: { from: ResumeFrom; resolved: RuntimeOptions },
): Promise<ReplayResult> {
  validateReplay(route, options);
  const payload = resume ? resume.from.payload : serializePayload(options.payload);
  return runReplay(route, options, payload, resume);
}

async function runReplay(
  route: RouteFunction<unknown, unknown>,
  options: ReplayOptions<unknown>,
  payload: string | undefined,
  resume: { from: ResumeFrom; resolved: RuntimeOptions } | undefined,
): Promise<ReplayResult> {
  // a resumed run keeps the recorded run's id, URL and headers
  const runOptions = resume
    ? { ...resume.resolved, workflowRunId: resume.from.workflowRunId, url: resume.from.url, headers: { ...resume.from.headers } }
    : resolveRuntimeOptions(options, "replay");
  return withRuntime(runOptions, async (runtime) => {
    const { deliveryTimeout } = runOptions;
    const harnessPrng = runtime.streams.harness;
    const detectors = createDetectors(runOptions.checks);
    const observer = detectors.observer;
    const owner: ObservedOwner = { observer }; // trackEffects() reaches the observer through the frame's owner
    let outsideReads = 0;
    const parsePayload = payloadParser(options);
    const env = options.env ?? {};

    const endpoints = new Map<string, Endpoint>();
    const endpointFor = (workflowId: string): Endpoint | undefined => {
      const fn = options.workflows?.[workflowId];
      if (!fn) return undefined;
      let endpoint = endpoints.get(workflowId);
      if (!endpoint) {
        endpoint = new MockEndpoint({ route: fn, parsePayload: payloadParser({}), env, prng: harnessPrng, observer: undefined, deliveryTimeout, owner: {} });
        endpoints.set(workflowId, endpoint);
      }
      return endpoint;
    };
    const sim = runtime.startSimulator({ endpointFor });
    const rootEndpoint = new MockEndpoint({
      route,
      parsePayload,
      env,
      prng: harnessPrng,
      observer,
      deliveryTimeout,
      failureFunction: options.failureFunction,
      owner,
    });

    const globals = runtime.patchGlobals({
      onRead(source) {
        const frame = currentFrame();
        if (!frame || frame.owner !== owner || frame.step || frame.harness) return;
        outsideReads += 1;
        observer?.readSeen?.({ frame, source, location: userLocation });
      },
    });
    runtime.installTimers();
    // what the run's step functions were answered, for a detector pass that runs one of them again
    const journal = new RequestJournal(owner);
    runtime.interceptNetwork({
      fallback: (request) => runtime.appQStash.answer(request),
      override: (request) => journal.answer(request),
      answered: (request, answer) => journal.record(request, answer),
      onRequest(request) {
        const frame = currentFrame();
        if (!frame || frame.owner !== owner || frame.harness) return;
        observer?.requestSeen?.({ frame, method: request.method, url: request.url, headers: request.headers, location: userLocation });
      },
    });
    const run = sim.startRun(
      {
        workflowRunId: runOptions.workflowRunId,
        url: runOptions.url,
        payload,
        headers: runOptions.headers,
        labels: runOptions.labels,
        retries: runOptions.retries,
        endpoint: rootEndpoint,
      },
      resume ? { steps: resume.from.steps, createdAt: resume.from.createdAt } : undefined,
    );
    await sim.runToEnd();
    return runResult(runtime, run, (partial) => {
      // The passes only change what Math.random, Date, crypto and performance return; a run that never
      // read them outside a step cannot plan differently under them, so the passes are skipped.
      const sandbox = { route, run, port: sim.closedPort(), parsePayload, env, deliveryTimeout, globals, journal };
      const passes = async () => (outsideReads > 0 ? perturbationPasses(sandbox) : []);
      return detectors.finish(partial, detectors.wantsPerturbation && options.perturb !== false ? passes : async () => [], sandbox);
    });
  });
}
