import type { RequestHandler } from "msw";
import type { HostLimits } from "../limits/facts.js";
import type { DeliveryRecord, EventSpec, FaultPlan, ReplayOptions, WebhookRequestSpec } from "../types.js";
import type { Prng } from "../util/prng.js";
import type { Endpoint, RunState } from "./wire-types.js";
import { OPTION_DEFAULTS } from "../defaults.js";

/** What the QStash model is configured with. */
export interface SimulatorOptions {
  startTime: number;
  prng: Prng;
  events: Record<string, unknown | EventSpec>;
  webhooks: Record<string, WebhookRequestSpec>;
  handlers: readonly RequestHandler[];
  maxInvocations: number;
  until?: number;
  /** Read only: the simulator keeps what it uses up in its own state. */
  faults?: FaultPlan;
  /** Endpoint for a child workflow id (invoke, call({ workflow })). */
  endpointFor(workflowId: string): Endpoint | undefined;
  /** Called after every delivery (the report and the detectors listen). */
  onDelivery?(run: RunState, record: DeliveryRecord): void;
  /** Real milliseconds a `context.call` request handler may take to answer (the deliveryTimeout option). */
  callTimeout?: number;
  /** The function host: a delivery running past its maxDuration is stopped (504) and retried. */
  host?: HostLimits;
}

/** The simulator options both drivers derive from `ReplayOptions`. */
export function simulatorOptions(
  options: Pick<ReplayOptions, "events" | "webhooks" | "maxInvocations" | "until" | "faults" | "deliveryTimeout">,
  rest: Pick<SimulatorOptions, "startTime" | "prng" | "handlers" | "endpointFor" | "onDelivery" | "host">,
): SimulatorOptions {
  return {
    ...rest,
    events: (options.events ?? {}) as Record<string, unknown>,
    webhooks: options.webhooks ?? {},
    maxInvocations: options.maxInvocations ?? OPTION_DEFAULTS.maxInvocations,
    until: options.until,
    faults: options.faults,
    callTimeout: options.deliveryTimeout ?? OPTION_DEFAULTS.deliveryTimeout,
  };
}
