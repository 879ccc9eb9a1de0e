import type { Endpoint, EndpointDelivery, EndpointResponse } from "../engine/wire-types.js";
import type { ReplayObserver } from "../engine/observer.js";
import { withDeadline } from "../sandbox/deadline.js";
import { DeliveryTimeout, timeoutResponse } from "../context/serve/errors.js";
import { runInFrame } from "../sandbox/scope.js";
import { HostStop, untilStopped } from "../sandbox/host-stop.js";
import { signDelivery, type SignatureMode, type SigningKeys } from "./signing.js";
import { decodeResponse, encodeDelivery } from "./wire-format.js";

/** Any fetch-style handler: what `serve()` returns, or an adapter turned into one. */
export type WorkflowHandler = (request: Request) => Promise<Response>;

export interface WireEndpointOptions {
  handler: WorkflowHandler;
  /** Identity of the replay (scope frames carry it). */
  owner: object;
  keys: SigningKeys;
  signature: SignatureMode;
  /** Whether the run's trigger configured a failure callback. */
  failureCallback: boolean;
  deliveryTimeout: number;
  observer: ReplayObserver | undefined;
  /** Virtual now, ms. */
  now(): number;
  /** A unique id for each signature (`jti`). */
  tokenId(): string;
  /** Told which delivery is in progress, so the REST API can route requests that name no run. */
  onDelivery(delivery: EndpointDelivery | undefined): void;
}


/**
 * An `Endpoint` that turns every delivery into the HTTP request QStash would send, signs it, hands
 * it to the real handler, and maps the HTTP answer back.
 */
export class WireEndpoint implements Endpoint {
  constructor(private readonly options: WireEndpointOptions) {}

  hasFailureCallback(): boolean {
    return this.options.failureCallback;
  }

  /** The request QStash sends for a delivery (signed according to the signature mode). */
  request(delivery: EndpointDelivery): Request {
    const { body, headers } = encodeDelivery(delivery);
    const url = delivery.run.url;
    const { keys, signature } = this.options;
    if (signature !== "missing") {
      const key = signature === "wrong-key" ? `sig_forged_${keys.currentSigningKey.slice(4)}` : keys.currentSigningKey;
      const signedBody = signature === "wrong-body" ? `${body} ` : body;
      headers.set("Upstash-Signature", signDelivery({ key, url, body: signedBody, now: this.options.now(), jti: this.options.tokenId() }));
    }
    return new Request(url, { method: "POST", headers, body });
  }

  async deliver(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const { observer, owner } = this.options;
    const request = this.request(delivery);
    observer?.deliveryStart?.({
      invocation: delivery.invocation,
      kind: delivery.kind,
      retried: delivery.retried,
      bodySteps: delivery.steps.length,
      rawPayload: delivery.kind === "step" ? (delivery.steps[0]?.out as string | undefined) : undefined,
    });
    this.options.onDelivery(delivery);
    try {
      const frame = { owner, invocation: delivery.invocation, dryRun: false };
      let response: Response;
      try {
        response = await withDeadline(untilStopped(runInFrame(frame, () => this.options.handler(request)), delivery.stop), this.options.deliveryTimeout, (): never => {
          throw new DeliveryTimeout(
            `[workflow-replay] Delivery ${delivery.invocation} did not settle within ${this.options.deliveryTimeout} ms: the handler never answered. A step or the code around it awaits something that never resolves (a real timer, an unanswered promise); resolve it or raise the deliveryTimeout option.`,
          );
        });
      } catch (error) {
        if (error instanceof DeliveryTimeout) return timeoutResponse(error);
        // the simulator answers for a function the host stopped
        if (error instanceof HostStop) return { status: 504, finishCondition: "host-timeout" };
        // A framework that lets an error escape answers 500, like a crashed server.
        const e = error instanceof Error ? error : new Error(String(error));
        return { status: 500, error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
      }
      return await decodeResponse(response, delivery.kind);
    } finally {
      this.options.onDelivery(undefined);
    }
  }
}
