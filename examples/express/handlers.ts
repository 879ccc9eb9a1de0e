import { http, HttpResponse } from "msw";

/** msw handlers for the stock, payment and shipping APIs. `calls` lists every request by host and path. */
export function orderHandlers(options: { card?: "ok" | "declined"; shippingDownFor?: number } = {}) {
  const calls: string[] = [];
  let shippingFailures = options.shippingDownFor ?? 0;
  const log = (request: Request) => {
    const url = new URL(request.url);
    calls.push(`${url.host}${url.pathname}`);
  };
  const handlers = [
    http.post("https://stock.example.com/:action", ({ request }) => {
      log(request);
      return HttpResponse.json({ ok: true });
    }),
    http.post("https://pay.example.com/charges", ({ request }) => {
      log(request);
      return HttpResponse.json({ status: options.card === "declined" ? "declined" : "captured" });
    }),
    http.post("https://ship.example.com/shipments", ({ request }) => {
      log(request);
      if (shippingFailures > 0) {
        shippingFailures--;
        return new HttpResponse("unavailable", { status: 503 });
      }
      return HttpResponse.json({ id: "shp_1" });
    }),
  ];
  return { handlers, calls };
}
