import { http, HttpResponse } from "msw";

/** msw handlers for the account service and the chat hooks; `hooks` records each notification. */
export function onboardingHandlers() {
  const hooks: string[] = [];
  const handlers = [
    http.put("https://accounts.example.com/users", async ({ request }) => {
      const { userId } = (await request.json()) as { userId: string };
      return HttpResponse.json({ id: `acct_${userId}` });
    }),
    http.put("https://hooks.example.com/:channel", ({ params }) => {
      hooks.push(String(params.channel));
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, hooks };
}
