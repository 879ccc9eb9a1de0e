import { http, HttpResponse } from "msw";

/** The transcoder API: accepts jobs (202) and cancels them; `log` lists what it was asked. */
export function transcoderHandlers(options: { refuse?: boolean } = {}) {
  const log: string[] = [];
  const handlers = [
    http.post("https://transcoder.example.com/jobs", async ({ request }) => {
      const { videoId } = (await request.json()) as { videoId: string };
      log.push(`start ${videoId}`);
      if (options.refuse) return HttpResponse.json({ error: "quota" }, { status: 429 });
      return HttpResponse.json({ jobId: `job-${videoId}` }, { status: 202 });
    }),
    http.delete("https://transcoder.example.com/jobs/:id", ({ params }) => {
      log.push(`cancel ${String(params.id)}`);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, log };
}
