import { QSTASH_BASE_URL, SIMULATOR_TOKEN } from "../engine/constants.js";
import { generateSigningKeys, type SigningKeys } from "./signing.js";

let processKeys: SigningKeys | undefined;

/** The signing keys of this process's simulator: generated once, on first use, with node:crypto. */
export function simulatorSigningKeys(): SigningKeys {
  return (processKeys ??= generateSigningKeys());
}

/** The environment variables that point an SDK handler at the QStash simulator. */
export interface SimulatorEnv {
  QSTASH_URL: string;
  QSTASH_TOKEN: string;
  QSTASH_CURRENT_SIGNING_KEY?: string;
  QSTASH_NEXT_SIGNING_KEY?: string;
  [name: string]: string | undefined;
}

/**
 * The `env` to give `serve()` so its QStash client talks to the in-process simulator and its
 * `Receiver` verifies the simulator's signatures. `QSTASH_DEV` is never part of it.
 *
 * @param extra more variables for `context.env` (they win over nothing: the QStash ones are fixed)
 * @param options `{ signing: false }` leaves the signing keys out (the handler then verifies nothing)
 *
 * @example
 * ```ts
 * import { serve } from "@upstash/workflow";
 * import { replayHandler, simulatorEnv } from "workflow-replay";
 *
 * const { handler } = serve(route, { env: simulatorEnv({ API_KEY: "test" }) });
 * const result = await replayHandler(handler, { payload: { id: 1 } });
 * ```
 */
export function simulatorEnv(
  extra: Record<string, string | undefined> = {},
  options: { signing?: boolean } = {},
): SimulatorEnv {
  const keys = simulatorSigningKeys();
  const env: SimulatorEnv = {
    ...extra,
    QSTASH_URL: QSTASH_BASE_URL,
    QSTASH_TOKEN: SIMULATOR_TOKEN,
    QSTASH_CURRENT_SIGNING_KEY: keys.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: keys.nextSigningKey,
  };
  if (options.signing === false) {
    delete env.QSTASH_CURRENT_SIGNING_KEY;
    delete env.QSTASH_NEXT_SIGNING_KEY;
  }
  delete env.QSTASH_DEV;
  delete env.QSTASH_REGION;
  return env;
}

/** Hosts whose `/v2/...` requests the simulator answers: its own, and QStash's real ones (so nothing leaves). */
export function isQStashHost(url: URL): boolean {
  if (url.origin === QSTASH_BASE_URL) return true;
  return /^qstash(-[a-z0-9-]+)?\.upstash\.io$/.test(url.hostname);
}

