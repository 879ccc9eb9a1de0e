import { createHash } from "node:crypto";

/** A seed: any safe integer, or any string. */
export type Seed = number | string;

/** Whether `seed` is one of the seeds mulberry32 always took (its streams are kept exactly). */
function isInt32(seed: Seed): seed is number {
  return typeof seed === "number" && (seed | 0) === seed;
}

/**
 * The 128-bit sfc32 state of a seed that is not an int32 (decision 1303): a safe integer's 64-bit
 * two's complement and the salt, so distinct integers (and salts) never share a state; a string's
 * SHA-256 (of the salt, a NUL and the string), so distinct strings share one with probability 2^-128.
 */
function wideState(seed: Seed, salt: number): [number, number, number, number] {
  if (typeof seed === "number") {
    const bits = BigInt.asUintN(64, BigInt(seed));
    return [Number(bits & 0xffffffffn), Number(bits >> 32n), salt >>> 0, 0x9e3779b9];
  }
  const digest = createHash("sha256").update(`${salt >>> 0}\0${seed}`, "utf8").digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/**
 * A small, fast, seedable PRNG. Every random value of the harness comes from one of these. An int32
 * seed runs mulberry32 exactly as it always did (recorded outputs stay valid); any other safe
 * integer, or a string, seeds a 128-bit sfc32 state without collisions (decision 1303). `salt` derives
 * an independent stream of the same seed (the harness's own draws, run ids).
 *
 * @example
 * new Prng(42).next();            // mulberry32, as before
 * new Prng(2 ** 40, 7).next();    // sfc32 from the full 53 bits and the salt
 * new Prng("checkout-flow").uuid();
 */
export class Prng {
  private state = 0;
  private wide: [number, number, number, number] | undefined;
  constructor(seed: Seed, salt = 0) {
    if (isInt32(seed)) {
      this.state = ((seed ^ salt) >>> 0) ^ 0x9e3779b9;
      return;
    }
    this.wide = wideState(seed, salt);
    for (let i = 0; i < 12; i++) this.sfc32(); // sfc32's usual warm-up
  }
  private sfc32(): number {
    const s = this.wide!;
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return t >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    if (this.wide !== undefined) return this.sfc32() / 4294967296;
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  fill(bytes: Uint8Array): Uint8Array {
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
    return bytes;
  }
  uuid(): string {
    const b = this.fill(new Uint8Array(16));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

const NANOID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

/** A nanoid-style id from the harness's PRNG (same alphabet as the SDK). */
export function nanoid(prng: Prng, length = 21): string {
  let out = "";
  for (let i = 0; i < length; i++) out += NANOID_CHARS[prng.int(NANOID_CHARS.length)];
  return out;
}
