const objectSource = Function.prototype.toString.call(Object);

/**
 * Whether `proto` is the prototype of plain objects (`{}`, `JSON.parse`, `await response.json()`)
 * in this realm or in another one: jest runs each test file in its own vm context, whose
 * `Object.prototype` is not this one's, so an identity check calls those objects class instances.
 * Like `Object.prototype` it has no prototype of its own, and its `constructor` is the native
 * `Object` function (decision 1403).
 *
 * @example
 * ```ts
 * import { runInNewContext } from "node:vm";
 * isObjectPrototype(Object.getPrototypeOf(runInNewContext("({ a: 1 })"))); // true
 * isObjectPrototype(Date.prototype); // false
 * ```
 */
export function isObjectPrototype(proto: unknown): boolean {
  if (proto === Object.prototype) return true;
  if (typeof proto !== "object" || proto === null || Object.getPrototypeOf(proto) !== null) return false;
  const ctor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value as unknown;
  return typeof ctor === "function" && Function.prototype.toString.call(ctor) === objectSource;
}
