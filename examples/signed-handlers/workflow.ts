import type { WorkflowContext } from "@upstash/workflow";

export interface InvoiceRequest {
  customerId: string;
  amount: number;
}

/** Bills a customer: look them up, charge the card, wait a day, email the receipt. */
export async function invoice(context: WorkflowContext<InvoiceRequest>) {
  const { customerId, amount } = context.requestPayload;
  const customer = await context.call<{ email: string }>("load-customer", {
    url: `https://billing.example/customers/${customerId}`,
  });
  const charge = await context.run("charge", async () => {
    const response = await fetch("https://billing.example/charges", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `${context.workflowRunId}-charge` },
      body: JSON.stringify({ customerId, amount }),
    });
    return (await response.json()) as { chargeId: string };
  });
  await context.sleep("cool-off", "1d");
  await context.run("email-receipt", async () => {
    await fetch("https://mail.example/send", {
      method: "POST",
      body: JSON.stringify({ to: customer.body.email, subject: `Receipt ${charge.chargeId}` }),
    });
  });
  return { chargeId: charge.chargeId, emailedTo: customer.body.email };
}
