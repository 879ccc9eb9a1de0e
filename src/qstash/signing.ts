import { createHash, createHmac, randomBytes } from "node:crypto";

/** The two signing keys QStash signs with (the current one) and rotates to (the next one). */
export interface SigningKeys {
  currentSigningKey: string;
  nextSigningKey: string;
}

/**
 * How deliveries are signed: `"valid"` like QStash, `"missing"` without `Upstash-Signature`,
 * `"wrong-key"` signed with a key the endpoint does not know, `"wrong-body"` a valid JWT whose body
 * hash belongs to another body (a replayed or tampered request).
 */
export type SignatureMode = "valid" | "missing" | "wrong-key" | "wrong-body";

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** A fresh pair of keys in QStash's format (`sig_` + 28 random characters). */
export function generateSigningKeys(): SigningKeys {
  const key = () => `sig_${randomBytes(21).toString("base64url").slice(0, 28)}`;
  return { currentSigningKey: key(), nextSigningKey: key() };
}

/** base64url(SHA-256(body)), the JWT's `body` claim. */
export function bodyHash(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("base64url");
}

export interface SignInput {
  key: string;
  /** The destination URL (the JWT's `sub`). */
  url: string;
  body: string;
  /** Virtual now, ms since the epoch. */
  now: number;
  /** A unique token id. */
  jti: string;
}

/** The `Upstash-Signature` QStash sends: an HS256 JWT with issuer `Upstash`. */
export function signDelivery(input: SignInput): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const seconds = Math.floor(input.now / 1000);
  const claims = base64url(
    JSON.stringify({
      iss: "Upstash",
      sub: input.url,
      exp: seconds + 300,
      nbf: seconds,
      iat: seconds,
      jti: input.jti,
      body: bodyHash(input.body),
    }),
  );
  const signature = createHmac("sha256", input.key).update(`${header}.${claims}`).digest("base64url");
  return `${header}.${claims}.${signature}`;
}
