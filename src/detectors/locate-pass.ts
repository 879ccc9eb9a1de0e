import { WorkflowAbort, type RouteFunction, type WorkflowContext } from "@upstash/workflow";
import { isInstanceOf } from "../errors.js";
import { firstUserFrame, userLocation } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";
import { nanoid, Prng } from "../util/prng.js";
import { runPass, type PassSandbox } from "./pass-runner.js";

/** What the route did in a locating pass, and where the user's code last used its context. */
export interface Located {
  /** The user's line of the last read of a context property (or call of a context method). */
  lastUse?: SourceLocation;
  /** Steps the route issued. */
  issued: number;
  /** The route returned (normally, not by a step's abort). */
  returned: boolean;
  /** What the route threw (not a step's abort), with the user's frame it was thrown from. */
  error?: { name: string; message: string; location?: SourceLocation };
}

/**
 * Re-runs the route once over the final history, memoized as the last delivery runs it, with its
 * context behind a proxy that notes the user's line of every context property read: where the code
 * last used the context before it returned gives a location to a finding that has none of its own
 * (a route that returns before its first step). `payload` replaces `context.requestPayload` (the
 * callback body a callback's dry run sees). Run only once a finding needs it: it costs a stack per read.
 *
 * @example
 * ```ts
 * const { lastUse, issued } = await locateReturn(sandbox);
 * ```
 */
export async function locateReturn(sandbox: PassSandbox, payload?: { value: unknown }): Promise<Located> {
  const located: Located = { issued: 0, returned: false };
  const trap: ProxyHandler<object> = {
    get(target, key) {
      if (typeof key === "string" && key !== "then") located.lastUse = userLocation() ?? located.lastUse;
      if (key === "requestPayload" && payload) return payload.value;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as Function).bind(target) : value;
    },
  };
  const route: RouteFunction<unknown, unknown> = async (context: WorkflowContext<unknown>) => {
    try {
      const value = await sandbox.route(new Proxy(context, trap) as WorkflowContext<unknown>);
      located.returned = true;
      return value;
    } catch (error) {
      if (!isInstanceOf(error, WorkflowAbort)) {
        const e = error instanceof Error ? error : new Error(String(error));
        const location = e.stack ? firstUserFrame(e.stack) : undefined;
        located.error = { name: e.name, message: e.message, ...(location ? { location } : {}) };
      }
      throw error;
    }
  };
  const ids = new Prng(0x10ca7e);
  await runPass(
    { ...sandbox, route },
    {
      mode: "perturbation",
      steps: sandbox.run.log,
      observer: {
        stepIssued(e) {
          if (!e.parentStep) located.issued += 1;
        },
      },
      randomId: (n) => nanoid(ids, n),
    },
  );
  return located;
}
