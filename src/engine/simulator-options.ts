import type { RequestHandler } from "msw";
import type { HostLimits } from "../limits/facts.js";
import type { DeliveryRecord, EventSpec, FaultPlan, WebhookRequestSpec } from "../types.js";
import type { Prng } from "../util/prng.js";
import type { Endpoint, RunState } from "./wire-types.js";

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
