import { Receiver } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { bodyHash, generateSigningKeys, signDelivery } from "./signing.js";

describe("signDelivery", () => {
  const keys = generateSigningKeys();
  const receiver = new Receiver(keys);
  const url = "https://example.test/api/workflow";
  const body = JSON.stringify([{ messageId: "m0", body: "e30=", callType: "step" }]);

  it("produces a JWT the real Receiver accepts, subject and body hash included", async () => {
    const signature = signDelivery({ key: keys.currentSigningKey, url, body, now: Date.now(), jti: "jwt_1" });
    await expect(receiver.verify({ signature, body, url })).resolves.toBe(true);
  });

  it("is accepted when signed with the next key (rotation)", async () => {
    const signature = signDelivery({ key: keys.nextSigningKey, url, body, now: Date.now(), jti: "jwt_2" });
    await expect(receiver.verify({ signature, body })).resolves.toBe(true);
  });

  it("is rejected for another body, another key, or an expired token", async () => {
    const signed = signDelivery({ key: keys.currentSigningKey, url, body, now: Date.now(), jti: "jwt_3" });
    await expect(receiver.verify({ signature: signed, body: body + " " })).rejects.toThrow(/body hash does not match/);
    const forged = signDelivery({ key: "sig_not_the_key", url, body, now: Date.now(), jti: "jwt_4" });
    await expect(receiver.verify({ signature: forged, body })).rejects.toThrow(/signature verification failed/);
    const old = signDelivery({ key: keys.currentSigningKey, url, body, now: Date.now() - 3_600_000, jti: "jwt_5" });
    const single = new Receiver({ currentSigningKey: keys.currentSigningKey, nextSigningKey: keys.currentSigningKey });
    await expect(single.verify({ signature: old, body })).rejects.toThrow(/"exp" claim timestamp check failed/);
  });

  it("hashes the body like QStash (base64url SHA-256)", () => {
    expect(bodyHash("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  });

  it("generates distinct keys in QStash's format", () => {
    const other = generateSigningKeys();
    expect(keys.currentSigningKey).toMatch(/^sig_[\w-]{28}$/);
    expect(other.currentSigningKey).not.toBe(keys.currentSigningKey);
    expect(keys.nextSigningKey).not.toBe(keys.currentSigningKey);
  });
});
