import { http, HttpResponse } from "msw";

/** The billing and mail APIs as msw handlers, with what each one received. */
export function billingApi() {
  const charges: unknown[] = [];
  const emails: unknown[] = [];
  const handlers = [
    http.get("https://billing.example/customers/:id", ({ params }) => HttpResponse.json({ email: `${String(params.id)}@example.com` })),
    http.post("https://billing.example/charges", async ({ request }) => {
      charges.push({ key: request.headers.get("idempotency-key"), body: await request.json() });
      return HttpResponse.json({ chargeId: `ch_${charges.length}` });
    }),
    http.post("https://mail.example/send", async ({ request }) => {
      emails.push(await request.json());
      return HttpResponse.json({ sent: true });
    }),
  ];
  return { handlers, charges, emails };
}
