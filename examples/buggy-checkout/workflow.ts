import type { RouteFunction } from "@upstash/workflow";

export interface CheckoutPayload {
  cartId: string;
}

/**
 * A checkout with three classic replay bugs, each of which passes a "call the function once"
 * unit test. `npm run demo` replays it and prints what workflow-replay finds.
 */
export const buggyCheckout: RouteFunction<CheckoutPayload, string> = async (context) => {
  const { cartId } = context.requestPayload;

  // Bug 1: a request outside a step is sent again on every delivery (and twice before the first step).
  await fetch("https://analytics.example.com/track", {
    method: "POST",
    body: JSON.stringify({ event: "checkout-started", cartId }),
  });

  // Bug 2: a Date does not survive the JSON round trip; code after the step gets a string.
  const cart = await context.run("load-cart", () => ({ cartId, total: 42, loadedAt: new Date() }));

  // Bug 3: a step name made from the clock outside a step changes on the next delivery.
  const attempt = Date.now();
  await context.run(`charge-${attempt}`, () => ({ charged: cart.total }));

  return await context.run("receipt", () => `receipt for ${cart.cartId}`);
};
