import { describe, expect, it } from "vitest";
import { Prng } from "../util/prng.js";
import { patchGlobals, type NondeterministicSource } from "./globals.js";

const START = Date.UTC(2025, 0, 1);

describe("patchGlobals().withVariant()", () => {
  it("replaces the user's stream and clock only while the function runs, reads still reported", async () => {
    const reads: NondeterministicSource[] = [];
    const globals = patchGlobals({ now: () => START + 5, origin: START, prng: new Prng(7), onRead: (s) => reads.push(s) });
    try {
      const expected = new Prng(7);
      expect(Math.random()).toBe(expected.next());
      const uuids = new Prng(99);
      const inside = await globals.withVariant({ random: 1 - 1e-9, offset: 1_000, uuid: () => uuids.uuid() }, async () => ({
        random: Math.random(),
        now: Date.now(),
        date: new Date().getTime(),
        perf: performance.now(),
        bytes: [...crypto.getRandomValues(new Uint8Array(3))],
        uuid: crypto.randomUUID(),
      }));
      expect(inside).toEqual({ random: 1 - 1e-9, now: START + 1_005, date: START + 1_005, perf: 1_005, bytes: [255, 255, 255], uuid: new Prng(99).uuid() });
      // back to the run's own values, the stream not advanced by the variant
      expect(Date.now()).toBe(START + 5);
      expect(Math.random()).toBe(expected.next());
      await expect(globals.withVariant({ random: 1e-9, offset: 1, uuid: () => "x" }, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(Date.now()).toBe(START + 5);
      expect(reads).toContain("crypto.getRandomValues");
      expect(reads.filter((s) => s === "Math.random")).toHaveLength(3);
    } finally {
      globals.restore();
    }
    expect(Math.random).not.toBe(undefined);
    expect(Date.now()).not.toBe(START + 5);
  });
});
