import { http, HttpResponse } from "msw";

/** The analytics endpoint; `tracked` counts the events it received. */
export function analyticsHandlers() {
  const tracked: string[] = [];
  const handlers = [
    http.post("https://analytics.example.com/track", async ({ request }) => {
      tracked.push(((await request.json()) as { event: string }).event);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, tracked };
}
