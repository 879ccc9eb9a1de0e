import { describe, expect, it } from "vitest";
import { Prng } from "./prng.js";

const first = (prng: Prng, n = 3) => Array.from({ length: n }, () => prng.next());

describe("Prng", () => {
  it("keeps the int32 seeds' mulberry32 streams exactly (salted as seed ^ salt, as before)", () => {
    // values of the generator before wide seeds existed: recorded outputs must not move
    expect(first(new Prng(1))).toEqual([0.18967728852294385, 0.31778763560578227, 0.7830808095168322]);
    expect(first(new Prng(1, 0x5bd1e995))).toEqual([0.5482588594313711, 0.2535145725123584, 0.9200609445106238]);
    expect(first(new Prng(-(2 ** 31)))).toEqual([0.2342744383495301, 0.4880514331161976, 0.9602491885889322]);
    expect(first(new Prng(2 ** 31 - 1))).toEqual([0.16999932751059532, 0.057816432090476155, 0.6218835338950157]);
    expect(first(new Prng(42, 0x1234567))).toEqual([0.9815459623932838, 0.1689089632127434, 0.8038579104468226]);
    expect(first(new Prng(-0))).toEqual(first(new Prng(0)));
  });

  it("gives every safe integer beyond int32 a stream of its own", () => {
    const seeds = [2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 2 ** 31, 2 ** 52, 2 ** 53 - 1, 2 ** 53 - 2, -(2 ** 53 - 1), -(2 ** 32)];
    const streams = seeds.map((seed) => JSON.stringify(first(new Prng(seed), 4)));
    expect(new Set(streams).size).toBe(seeds.length);
    // nor the stream of the int32 seed they would have wrapped to before
    expect(first(new Prng(2 ** 32 + 1))).not.toEqual(first(new Prng(1)));
    // deterministic, and the salt gives an independent stream
    expect(first(new Prng(2 ** 40, 7))).toEqual(first(new Prng(2 ** 40, 7)));
    expect(first(new Prng(2 ** 40, 7))).not.toEqual(first(new Prng(2 ** 40, 8)));
  });

  it("seeds from strings, distinct from the integer of the same digits", () => {
    const seeds = ["", "a", "b", "ab", "ba", "1", "checkout-flow", "checkout-flow ", "é"];
    const streams = seeds.map((seed) => JSON.stringify(first(new Prng(seed), 4)));
    expect(new Set(streams).size).toBe(seeds.length);
    expect(first(new Prng("1"))).not.toEqual(first(new Prng(1)));
    expect(first(new Prng("run", 1))).not.toEqual(first(new Prng("run", 2)));
  });

  it("draws uniformly from a wide seed (a coarse check: mean and range)", () => {
    const prng = new Prng("uniform");
    const values = first(prng, 10_000);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
