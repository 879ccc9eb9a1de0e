import { serve, type RouteFunction } from "@upstash/workflow";
import { serveMany, createWorkflow } from "@upstash/workflow/nextjs";
import { replay } from "../../src/replay.js";
import { replayHandler, type ReplayHandlerOptions } from "../../src/qstash/replay-handler.js";
import { simulatorEnv } from "../../src/qstash/env.js";
import type { FailureFunctionArgs, ReplayOptions, ReplayResult } from "../../src/types.js";

/** What both modes must agree on (design.md: steps, status, output, invocations). */
export interface Comparable {
  status: ReplayResult["status"];
  output: unknown;
  invocations: number;
  steps: ReplayResult["steps"];
  /** Stricter than the contract: every delivery's kind, virtual time, body size, retry count and answer. */
  deliveries: string[];
  endedAt: number;
  error?: { status: number; name: string; message: string; stepName?: string };
  failureFunctionResult?: unknown;
  /** The application's own QStash messages (decision 1500). */
  published: ReplayResult["published"];
}

export function comparable(result: ReplayResult): Comparable {
  return {
    status: result.status,
    output: result.output,
    invocations: result.invocations,
    steps: result.steps,
    deliveries: result.deliveries.map((d) => `${d.kind} @${d.at} body=${d.bodySteps} retried=${d.retried} -> ${d.status} ${d.outcome}`),
    endedAt: result.endedAt,
    ...(result.error
      ? {
          error: {
            status: result.error.status,
            name: result.error.name,
            message: result.error.message,
            ...(result.error.stepName ? { stepName: result.error.stepName } : {}),
          },
        }
      : {}),
    ...(result.failureFunctionResult !== undefined ? { failureFunctionResult: result.failureFunctionResult } : {}),
    published: result.published,
  };
}

export interface BothOptions extends Omit<ReplayOptions, "workflows" | "env"> {
  /** Child workflows by id (replay: workflows; handler: serveMany). */
  workflows?: Record<string, RouteFunction<any, any>>;
}

/**
 * Runs one route through replay() and through the real serve() handler behind the simulator.
 * `makeRoute` is called once per mode, so closure state (counters) starts fresh in each.
 */
export async function runBoth(makeRoute: () => RouteFunction<any, any>, options: BothOptions = {}): Promise<{ mock: ReplayResult; real: ReplayResult }> {
  const { workflows, failureFunction, initialPayloadParser, schema, perturb, ...shared } = options;
  const mock = await replay(makeRoute(), { ...options, ...(workflows ? { workflows } : {}), perturb: false });
  const route = makeRoute();
  const env = simulatorEnv();
  const serveOptions = {
    env,
    ...(failureFunction ? { failureFunction: failureFunction as (args: FailureFunctionArgs) => Promise<any> } : {}),
    ...(initialPayloadParser ? { initialPayloadParser } : {}),
    ...(schema ? { schema: schema as never } : {}),
  };
  const handlerOptions: ReplayHandlerOptions = { ...shared };
  let handler: (request: Request) => Promise<Response>;
  if (workflows) {
    const url = options.url ?? "https://workflow-replay.test/api/workflow";
    const rootId = url.split("/").pop()!;
    const all: Record<string, ReturnType<typeof createWorkflow>> = { [rootId]: createWorkflow(route, serveOptions as never) };
    for (const [id, fn] of Object.entries(workflows)) all[id] = createWorkflow(fn, serveOptions as never);
    const { POST } = serveMany(all, serveOptions as never);
    handler = POST as (request: Request) => Promise<Response>;
    handlerOptions.workflows = Object.keys(workflows);
  } else {
    handler = serve(route, serveOptions as never).handler;
  }
  const real = await replayHandler(handler, handlerOptions);
  void perturb;
  return { mock, real };
}

/** Webhook event ids are random in both modes, drawn from different streams (decision 0402). */
export function withoutWebhookIds(value: Comparable): Comparable {
  // A webhook request is recorded base64-encoded: decode it so its URL can be normalized too.
  const steps = value.steps.map((step) =>
    step.stepType === "WaitForWebhook" && typeof step.out === "string" ? { ...step, out: Buffer.from(step.out, "base64").toString("utf8") } : step,
  );
  return JSON.parse(JSON.stringify({ ...value, steps }).replace(/evt_[\w-]{15}/g, "evt_<random>")) as Comparable;
}
