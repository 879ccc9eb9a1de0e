/**
 * The identity of the simulated QStash, shared by every place that shows it to user code: the
 * simulator's webhook URLs, `simulatorEnv()`, the replay() client stub and the history walker.
 */

/** QStash's base URL inside the harness (webhook URLs, the simulator's REST API). */
export const QSTASH_BASE_URL = "https://qstash.workflow-replay.test";

/** The QStash user id of the simulator (webhook paths, the token's `UserID`). */
export const SIMULATOR_USER_ID = "workflow-replay-user";

/** The simulator's QStash token: base64 of `{"UserID":...}`, the shape the SDK decodes for webhooks. */
export const SIMULATOR_TOKEN = Buffer.from(JSON.stringify({ UserID: SIMULATOR_USER_ID }), "utf8").toString("base64");

/** Virtual time one hop (QStash → endpoint, endpoint → QStash) takes. */
export const HOP_MS = 100;
