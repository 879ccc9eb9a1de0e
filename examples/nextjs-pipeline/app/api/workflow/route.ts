// app/api/workflow/route.ts in a Next.js App Router project.
import { serve } from "@upstash/workflow/nextjs";
import { pipeline } from "../../../workflow";

export const { POST } = serve(pipeline);
