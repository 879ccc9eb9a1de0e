import { http, HttpResponse } from "msw";

export const DOCUMENT =
  "Replay bugs hide until production. Every delivery runs the workflow from the top. A step's result is served from history.";

/** msw handlers standing in for the document store and the mail API; `sent` records every email. */
export function pipelineHandlers() {
  const sent: Array<{ key: string | null; body: unknown }> = [];
  const handlers = [
    http.get("https://docs.example.com/documents/:id", () => HttpResponse.text(DOCUMENT)),
    http.post("https://mail.example.com/send", async ({ request }) => {
      sent.push({ key: request.headers.get("idempotency-key"), body: await request.json() });
      return HttpResponse.json({ queued: true });
    }),
  ];
  return { handlers, sent };
}
