// upstash/workflow-js examples/nextjs-webhook-stripe/app/api/workflow/onboarding/route.ts
// (commit 711837a4d4803c6a1dd856261d4c62d3df96160a): a Clerk webhook verified with svix before the
// first step, a Stripe trial, a 7-day wait for the payment method. Stripe, Resend and svix are fakes;
// the svix fake keeps svix's real rule that a signature is valid for 5 minutes around its timestamp.
import type { FieldWorkflow } from "../field-workflow.js";

export const START = Date.UTC(2025, 0, 1);
const TOLERANCE_SECONDS = 5 * 60;

class Webhook {
  constructor(private readonly secret: string) {}
  verify(payload: string, headers: Record<string, string>): any {
    const timestamp = Number(headers["svix-timestamp"]);
    if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) throw new Error("Message timestamp too old");
    if (headers["svix-signature"] !== `v1,${this.secret}:${headers["svix-id"]}`) throw new Error("No matching signature found");
    return JSON.parse(payload);
  }
}

const event = {
  type: "user.created",
  data: { id: "user_1", first_name: "Ada", last_name: "L", primary_email_address_id: "e1", email_addresses: [{ id: "e1", email_address: "ada@x.test" }] },
};

export const stripeOnboarding: FieldWorkflow = {
  title: "stripe onboarding: svix check before the first step, 7-day wait",
  source: { repo: "upstash/workflow-js", path: "examples/nextjs-webhook-stripe/app/api/workflow/onboarding/route.ts", commit: "711837a4d4803c6a1dd856261d4c62d3df96160a" },
  route: () => {
    const sent: string[] = [];
    const stripe = {
      customers: { create: async (p: { email: string }) => ({ id: "cus_1", email: p.email }) },
      subscriptions: {
        create: async () => ({ id: "sub_1", status: "trialing" }),
        update: async (id: string) => ({ id, cancel_at_period_end: true }),
      },
    };
    const resend = { emails: { send: async (m: { subject: string }) => void sent.push(m.subject) } };
    async function validateRequest(payloadString: string, headerPayload: Headers) {
      const svixHeaders = {
        "svix-id": headerPayload.get("svix-id") as string,
        "svix-timestamp": headerPayload.get("svix-timestamp") as string,
        "svix-signature": headerPayload.get("svix-signature") as string,
      };
      const wh = new Webhook("whsec");
      return wh.verify(payloadString, svixHeaders);
    }
    return async (context) => {
      const payloadString = context.requestPayload as string;
      const headerPayload = context.headers;
      let event: any;
      try {
        event = await validateRequest(payloadString, headerPayload);
      } catch {
        return;
      }
      const user = await context.run<false | { email: string; firstName: string; lastName: string; clerkUserId: string }>("handle-clerk-webhook-event", async () => {
        if (event.type === "user.created") {
          const { id: clerkUserId, email_addresses, first_name, last_name } = event.data;
          const primaryEmail = email_addresses.find((e: { id: string }) => e.id === event.data.primary_email_address_id);
          if (!primaryEmail) return false;
          return { event: event.type, clerkUserId, email: primaryEmail.email_address, firstName: first_name, lastName: last_name };
        }
        return false;
      });
      if (!user) return;
      const customer = await context.run("create-stripe-customer", async () => await stripe.customers.create({ email: user.email }));
      await context.run("send-welcome-email", async () => {
        await resend.emails.send({ subject: "Welcome to Your Trial!" });
      });
      const subscription = await context.run("create-trial", async () => {
        void customer;
        return await stripe.subscriptions.create();
      });
      await context.run("store-subscription", async () => {
        void subscription;
      });
      const { timeout } = await context.waitForEvent("await-payment-method", `payment_method_${subscription.id}`, { timeout: "7d" });
      if (!timeout) {
        await context.run("send-subscription-start-welcome-mail", async () => {
          await resend.emails.send({ subject: "Payment Method Added Successfully!" });
        });
      } else {
        await context.run("handle-trial-end", async () => {
          await stripe.subscriptions.update(subscription.id);
          return { status: "trial_ended" };
        });
        await context.run("send-trial-ending-mail", async () => {
          await resend.emails.send({ subject: "Your Trial is Ending Soon" });
        });
      }
    };
  },
  options: {
    payload: JSON.stringify(event),
    startTime: START,
    headers: { "svix-id": "msg_1", "svix-timestamp": String(START / 1000), "svix-signature": "v1,whsec:msg_1" },
    initialPayloadParser: (raw: string) => raw,
    retries: 1,
  },
  serveOptions: { initialPayloadParser: (raw: string) => raw },
  bugs: [
    {
      kind: "early-return",
      handler: true,
      effect:
        "svix accepts a signature for 5 minutes; the delivery after the 7-day wait verifies the trigger's headers again, the check throws, the route returns before any step and the SDK answers 400: the trial never ends and the run fails.",
    },
  ],
  notes: "Stripe objects are plain JSON; nothing else is reported.",
};
