import type { RouteFunction, Step } from "@upstash/workflow";
import type { RequestHandler } from "msw";
import { createDetectors } from "./detectors/index.js";
import { perturbationPasses } from "./detectors/perturbation.js";
import type { ObservedOwner } from "./detectors/track-effects.js";
import { MockEndpoint } from "./context/serve/mock-endpoint.js";
import { finalResult } from "./engine/result.js";
import { Simulator } from "./engine/simulator.js";
import { simulatorOptions } from "./engine/simulator-options.js";
import type { Endpoint } from "./engine/wire-types.js";
import { ReplayUsageError } from "./errors.js";
import { SHARED_OPTION_NAMES, validateSharedOptions } from "./options.js";
import { patchGlobals, type GlobalsController } from "./sandbox/globals.js";
import { userLocation } from "./sandbox/location.js";
import { withReplayLock } from "./sandbox/lock.js";
import { interceptNetwork } from "./sandbox/network.js";
import { installVirtualTimers } from "./sandbox/virtual-timers.js";
import { platformReport, resolvePlatform } from "./limits/platform.js";
import { AppQStash } from "./qstash/app-qstash.js";
import { closeFrames, currentFrame } from "./sandbox/scope.js";
import type { ReplayOptions, ReplayResult } from "./types.js";
import { nanoid, Prng } from "./util/prng.js";
import { OPTION_DEFAULTS } from "./defaults.js";

export const DEFAULT_URL = "https://workflow-replay.test/api/workflow";
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1);

/** The shared options, plus those `serve()` takes that replay() plays the part of, plus `perturb`. */
const KNOWN_OPTIONS = new Set<string>([...SHARED_OPTION_NAMES, "env", "failureFunction", "initialPayloadParser", "schema", "perturb"]);

/** Serializes the payload like a trigger body: strings as-is, everything else as JSON. */
export function serializePayload(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  if (typeof payload === "string") return payload;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new ReplayUsageError(
      `Failed to serialize the payload: ${(error as Error).message}. QStash sends the payload as JSON; pass a JSON-serializable value or a string.`,
    );
  }
  if (text === undefined) {
    throw new ReplayUsageError(
      `Failed to serialize the payload: a ${typeof payload} has no JSON form. Pass a JSON-serializable value or a string.`,
    );
  }
  return text;
}

/** The SDK's default payload parser (with `schema` / `initialPayloadParser` like `serve()`). */
export function payloadParser(options: Pick<ReplayOptions, "schema" | "initialPayloadParser">): (raw: string) => unknown {
  if (options.initialPayloadParser) {
    const parser = options.initialPayloadParser;
    return (raw) => parser(raw);
  }
  const schema = options.schema;
  return (raw) => {
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as unknown;
      return schema ? schema.parse(parsed) : parsed;
    } catch (error) {
      if (error instanceof SyntaxError) return raw;
      throw error;
    }
  };
}

function validate(route: unknown, options: ReplayOptions<unknown>): void {
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

/** @internal replay(), optionally resuming a recorded history (used by replayHistory). */
export async function replayInternal(
  route: RouteFunction<unknown, unknown>,
  options: ReplayOptions<unknown>,
  resume?: ResumeFrom,
): Promise<ReplayResult> {
  validate(route, options);
  const payload = resume ? resume.payload : serializePayload(options.payload);
  return withReplayLock(() => runReplay(route, options, payload, resume));
}

async function runReplay(
  route: RouteFunction<unknown, unknown>,
  options: ReplayOptions<unknown>,
  payload: string | undefined,
  resume: ResumeFrom | undefined,
): Promise<ReplayResult> {
  const seed = options.seed ?? OPTION_DEFAULTS.seed;
  const prng = new Prng(seed);
  const harnessPrng = new Prng(seed ^ 0x5bd1e995);
  const startTime = options.startTime instanceof Date ? options.startTime.getTime() : (options.startTime ?? DEFAULT_START_TIME);
  const detectors = createDetectors(options.checks);
  const observer = detectors.observer;
  const owner: ObservedOwner = { observer }; // trackEffects() reaches the observer through the frame's owner
  let outsideReads = 0;
  const parsePayload = payloadParser(options);
  const env = options.env ?? {};
  const deliveryTimeout = options.deliveryTimeout ?? OPTION_DEFAULTS.deliveryTimeout;
  const handlers: readonly RequestHandler[] = options.handlers ?? [];

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

  const platform = resolvePlatform(options, "replay");
  const sim = new Simulator(
    simulatorOptions(options, { startTime, prng: harnessPrng, handlers, endpointFor, ...(platform.host ? { host: platform.host } : {}) }),
  );

  const ctrl: GlobalsController = {
    now: () => sim.now,
    origin: startTime,
    prng,
    onRead(source) {
      const frame = currentFrame();
      if (!frame || frame.owner !== owner || frame.step || frame.harness) return;
      outsideReads += 1;
      observer?.readSeen?.({ frame, source, location: userLocation });
    },
  };

  const rootEndpoint = new MockEndpoint({
    route,
    parsePayload,
    env,
    prng: harnessPrng,
    observer,
    deliveryTimeout,
    failureFunction: options.failureFunction as never,
    owner,
  });

  const appQStash = new AppQStash(() => sim.now);
  const globals = patchGlobals(ctrl);
  const restoreTimers = installVirtualTimers(sim.timers);
  let stopNetwork: (() => void) | undefined;
  try {
    stopNetwork = interceptNetwork({
      handlers,
      fallback: (request) => appQStash.answer(request),
      onRequest(request) {
        const frame = currentFrame();
        if (!frame || frame.owner !== owner || frame.harness) return;
        observer?.requestSeen?.({ frame, method: request.method, url: request.url, headers: request.headers, location: userLocation });
      },
    });
    const label = options.label;
    const labels = label === undefined ? [] : Array.isArray(label) ? label : label.split(",");
    const runId = options.workflowRunId
      ? options.workflowRunId.startsWith("wfr_") ? options.workflowRunId : `wfr_${options.workflowRunId}`
      : `wfr_${nanoid(new Prng(seed ^ 0x1234567), 21)}`;
    const run = sim.startRun(
      {
        workflowRunId: resume?.workflowRunId ?? runId,
        url: resume?.url ?? options.url ?? DEFAULT_URL,
        payload,
        headers: { ...(resume?.headers ?? options.headers ?? {}) },
        labels,
        retries: options.retries ?? OPTION_DEFAULTS.retries,
        endpoint: rootEndpoint,
      },
      resume ? { steps: resume.steps, createdAt: resume.createdAt } : undefined,
    );
    await sim.runToEnd();
    const partial = { ...finalResult(sim, run, seed), published: appQStash.published };
    // The passes only change what Math.random, Date, crypto and performance return; a run that never
    // read them outside a step cannot plan differently under them, so the passes are skipped.
    const sandbox = { route, run, port: sim.closedPort(), parsePayload, env, deliveryTimeout, globals };
    const passes = async () => (outsideReads > 0 ? perturbationPasses(sandbox) : []);
    const findings = await detectors.finish(partial, detectors.wantsPerturbation && options.perturb !== false ? passes : async () => []);
    const limits = platformReport(sim, run, partial.usage, platform, options.checks);
    return { ...partial, usage: limits.usage, findings: [...findings, ...limits.findings] };
  } finally {
    stopNetwork?.();
    restoreTimers();
    globals.restore();
    closeFrames();
  }
}
