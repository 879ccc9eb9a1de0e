// A Next.js App Router route, exactly as it ships: the SDK reads QStash's URL, token and signing
// keys from process.env, and verifies every request's Upstash-Signature with the Receiver.
import { serve } from "@upstash/workflow/nextjs";
import { invoice } from "../../../workflow";

export const { POST } = serve(invoice);
