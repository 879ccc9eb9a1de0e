import { WorkflowNonRetryableError, type RouteFunction, type WorkflowServeOptions } from "@upstash/workflow";
import { serve } from "@upstash/workflow/express";
import express from "express";

export interface OrderPayload {
  orderId: string;
  amountCents: number;
}

/**
 * Order fulfilment: reserve stock, charge the card, ship. A declined card is final
 * (`WorkflowNonRetryableError`: no retries); any other failure is retried by QStash.
 */
export const fulfilOrder: RouteFunction<OrderPayload, { shipment: string }> = async (context) => {
  const { orderId, amountCents } = context.requestPayload;
  await context.run("reserve-stock", () => post("https://stock.example.com/reservations", { orderId }, `reserve:${orderId}`));
  const charge = await context.run("charge-card", () => post("https://pay.example.com/charges", { orderId, amountCents }, `charge:${orderId}`));
  if (charge.status === "declined") throw new WorkflowNonRetryableError(`card declined for order ${orderId}`);
  const shipment = await context.run("ship", () => post("https://ship.example.com/shipments", { orderId }, `ship:${orderId}`));
  return { shipment: String(shipment.id) };
};

/** Runs when the run fails for good: release the stock. Its return value is reported to QStash. */
export const releaseStock: NonNullable<WorkflowServeOptions<OrderPayload>["failureFunction"]> = async ({ context, failResponse }) => {
  await post("https://stock.example.com/releases", { orderId: context.requestPayload.orderId }, `release:${context.requestPayload.orderId}`);
  return `released stock: ${failResponse}`;
};

async function post(url: string, body: unknown, idempotencyKey: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
  if (response.status >= 500) throw new Error(`${new URL(url).host} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The Express app: the workflow is served at POST /api/orders. */
export const app = express();
app.use(express.json());
app.use("/api/orders", serve(fulfilOrder, { failureFunction: releaseStock }));
