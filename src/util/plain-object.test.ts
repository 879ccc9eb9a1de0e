import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { findJsonLoss } from "../detectors/json-loss.js";
import { isObjectPrototype } from "./plain-object.js";

// jest gives each test file its own vm context: `await response.json()` there builds objects whose
// prototype is that context's Object.prototype.
const foreign = <T>(source: string): T => runInNewContext(source) as T;

describe("isObjectPrototype", () => {
  it("accepts this realm's and another realm's Object.prototype", () => {
    expect(isObjectPrototype(Object.prototype)).toBe(true);
    expect(isObjectPrototype(Object.getPrototypeOf(foreign("({ a: 1 })")))).toBe(true);
    expect(isObjectPrototype(Object.getPrototypeOf(foreign("JSON.parse('{\"a\":1}')")))).toBe(true);
  });

  it("rejects class prototypes, from either realm, and look-alikes", () => {
    expect(isObjectPrototype(Date.prototype)).toBe(false);
    expect(isObjectPrototype(Object.getPrototypeOf(foreign("new Date(0)")))).toBe(false);
    expect(isObjectPrototype(Object.getPrototypeOf(foreign("new (class Money {})()")))).toBe(false);
    expect(isObjectPrototype(Object.create(null, { constructor: { value: function Object() {} } }))).toBe(false);
    expect(isObjectPrototype(null)).toBe(false);
  });
});

describe("findJsonLoss across realms", () => {
  it("sees nothing lost in plain JSON from another realm", () => {
    expect(findJsonLoss(foreign("({ id: 1, tags: ['a'], nested: { ok: true } })"))).toBeUndefined();
  });

  it("still reports a class instance from another realm", () => {
    expect(findJsonLoss(foreign("({ price: new (class Money { constructor() { this.amount = 5 } })() })"))).toMatchObject({
      path: "$.price",
      what: "an instance of class Money",
    });
  });
});
