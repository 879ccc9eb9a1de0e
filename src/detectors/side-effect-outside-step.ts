import type { EffectSeenEvent, RequestSeenEvent } from "../engine/observer.js";
import type { ScopeFrame } from "../sandbox/scope.js";
import type { Severity, SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at, deliveryName } from "./describe.js";

interface Site {
  what: string;
  kind: "request" | "effect";
  severity: Severity;
  count: number;
  deliveries: Set<number>;
  dryRuns: number;
  first: ScopeFrame;
  location: SourceLocation | undefined;
  suggestion: string;
}

const READ_METHODS = new Set(["GET", "HEAD"]);

function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

/**
 * `side-effect-outside-step`: a network request (any HTTP client, seen through msw) or a call on an
 * object wrapped with `trackEffects()` made outside a step. Such code runs again on every delivery,
 * and twice per delivery before the first step (the auth dry run). Counted per call site over the
 * whole run and reported once, at the end, with the count: an error for writes and tracked effects,
 * a warning for GET and HEAD.
 */
export const sideEffectOutsideStep: DetectorFactory = (ctx) => {
  const sites = new Map<string, Site>();

  const seen = (frame: ScopeFrame, key: string, make: (location: SourceLocation | undefined) => Omit<Site, "count" | "deliveries" | "dryRuns" | "first" | "location">, location: () => SourceLocation | undefined) => {
    if (frame.step) return;
    const where = location();
    const id = `${key}@${where ? `${where.file}:${where.line}:${where.column}` : "?"}`;
    let site = sites.get(id);
    if (!site) {
      site = { ...make(where), count: 0, deliveries: new Set(), dryRuns: 0, first: frame, location: where };
      sites.set(id, site);
    }
    site.count++;
    site.deliveries.add(frame.invocation);
    if (frame.dryRun) site.dryRuns++;
  };

  return {
    kind: "side-effect-outside-step",
    requestSeen(event: RequestSeenEvent) {
      const method = event.method.toUpperCase();
      const url = event.url.split("?")[0]!;
      seen(
        event.frame,
        `${method} ${url}`,
        () => ({
          what: `${method} ${url}`,
          kind: "request",
          severity: READ_METHODS.has(method) ? "warning" : "error",
          suggestion: READ_METHODS.has(method)
            ? `Move it into a step so its response is recorded: context.run("fetch-data", () => fetch(...)), or use context.call.`
            : `Move it into a step: context.run("send", () => fetch(...)), or use context.call("send", { url, method: "${method}", body }).`,
        }),
        event.location,
      );
    },
    effectSeen(event: EffectSeenEvent) {
      const short = event.target.split(".").pop() || event.target;
      seen(
        event.frame,
        `effect ${event.target}`,
        () => ({
          what: `${event.target}()`,
          kind: "effect",
          severity: "error",
          suggestion: `Move it into a step: context.run(${JSON.stringify(short)}, () => ${event.target}(...)).`,
        }),
        event.location,
      );
    },
    finish() {
      for (const site of sites.values()) {
        const subject = site.kind === "request" ? `${site.what} was requested` : `${site.what} was called`;
        const deliveries = site.deliveries.size;
        const dry = site.dryRuns > 0 ? `, ${site.dryRuns} of them in the auth dry run that precedes each delivery` : "";
        ctx.report(
          {
            severity: site.severity,
            message:
              `${subject} outside a step, first in ${deliveryName(site.first)}${at(site.location)}: ` +
              `it ran ${times(site.count)} in this run (in ${deliveries} ${deliveries === 1 ? "delivery" : "deliveries"}${dry}), because code outside steps runs again on every delivery and its result is not recorded. ` +
              site.suggestion,
            invocation: site.first.invocation,
            ...(site.location ? { location: site.location } : {}),
            hint:
              site.kind === "request"
                ? `Requests made inside context.run() or through context.call run once per step and their results are recorded.`
                : `A tracked effect inside a step runs once per step execution; outside, it repeats with every delivery.`,
          },
          `${site.what}@${site.location ? `${site.location.file}:${site.location.line}:${site.location.column}` : "?"}`,
        );
      }
    },
  };
};
