// A Hono app (Cloudflare Workers, Bun, Node): the SDK takes QStash's settings from the bindings
// (c.env) when they hold QSTASH_TOKEN, and verifies signatures with the signing keys there.
import { serve } from "@upstash/workflow/hono";
import { Hono } from "hono";
import { invoice } from "./workflow";

export const app = new Hono().post("/api/invoice", serve(invoice));
