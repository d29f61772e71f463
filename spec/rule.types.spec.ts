// Type-level checks of RuleArgs: `tsc --noEmit` proves them (an @ts-expect-error line that
// stops erroring fails the type-check); the runtime `it` only lets mocha load the file.
import { expect } from "chai";
import type { RuleArgs } from "../lib/rule.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// The brief's example: int -> number, path -> string.
assertType<Equal<RuleArgs<"/post/<int:post_id>/<path:rest>">, { post_id: number; rest: string }>>();
// No converter means the default (string) converter.
assertType<Equal<RuleArgs<"/user/<username>">, { username: string }>>();
// float is a number; uuid, any and custom converters are strings.
assertType<Equal<RuleArgs<"/<float:x>/<uuid:id>/<any(a, b):page>/<list:tags>">, { x: number; id: string; page: string; tags: string }>>();
// Parenthesised arguments, with commas, quotes and even colons, do not break inference.
assertType<Equal<RuleArgs<"/<int(fixed_digits=4, signed=True):year>/<string(length=2):code>">, { year: number; code: string }>>();
assertType<Equal<RuleArgs<'/<any("a:b", c):choice>'>, { choice: string }>>();
// Variables embedded in static text.
assertType<Equal<RuleArgs<"/x<int:a>y/<b>.json">, { a: number; b: string }>>();
// No variables: no keys at all.
assertType<Equal<RuleArgs<"/about/">, Record<string, never>>>();
// A rule only known as `string` cannot be inferred.
assertType<Equal<RuleArgs<string>, Record<string, unknown>>>();

// @ts-expect-error post_id is a number, not a string
assertType<Equal<RuleArgs<"/post/<int:post_id>">, { post_id: string }>>();
// @ts-expect-error a variable is not optional
assertType<Equal<RuleArgs<"/a/<x>/<y>">, { x: string; y?: string }>>();

export const wrongValue: RuleArgs<"/post/<int:post_id>"> = {
  // @ts-expect-error a string where the int converter gives a number
  post_id: "1",
};
// @ts-expect-error y is missing
export const missingValue: RuleArgs<"/a/<x>/<y>"> = { x: "1" };
export const extraValue: RuleArgs<"/about"> = {
  // @ts-expect-error a rule without variables gives no arguments
  x: "1",
};

describe("RuleArgs", () => {
  it("is checked by tsc (this file type-checks only if every assertion holds)", () => {
    expect(assertType<true>()).to.equal(undefined);
  });
});
