// Behaviour of Python's json module (CPython 3.11, as Flask's session serializer uses it);
// byte-level outputs from real Flask are checked in tagged-json.spec.ts and session-serializer.spec.ts.
import { expect } from "chai";
import { python_json_dumps, python_json_loads } from "../lib/python-json.js";

describe("python_json_dumps", () => {
  it("escapes like ensure_ascii=True (DEL and U+2028 included, lowercase hex, surrogate pairs)", () => {
    expect(python_json_dumps("\u007f\u2028é😀\b\u0001")).to.equal('"\\u007f\\u2028\\u00e9\\ud83d\\ude00\\b\\u0001"');
    expect(python_json_dumps("é😀", { ensure_ascii: false })).to.equal('"é😀"');
  });
  it("writes floats as Python's repr and integral numbers as ints", () => {
    expect([1e-5, 0.0001, 0.1, -2.5e-10, 123456789012345.6, 1e21, 2 ** 53 + 2].map((n) => python_json_dumps(n))).to.deep.equal(
      ["1e-05", "0.0001", "0.1", "-2.5e-10", "123456789012345.6", "1000000000000000000000", "9007199254740994"],
    );
  });
  it("skips undefined members and writes undefined array items as null, like JSON.stringify", () => {
    expect(python_json_dumps({ a: undefined, b: [undefined] })).to.equal('{"b":[null]}');
  });
  it("refuses class instances, functions and cycles with a TypeError that says what to do", () => {
    expect(() => python_json_dumps(new Map())).to.throw(TypeError, /Map is not JSON serializable; convert it/);
    expect(() => python_json_dumps(() => 1)).to.throw(TypeError, /function is not JSON serializable/);
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => python_json_dumps(cyclic)).to.throw(TypeError, /Circular/);
  });
});

describe("python_json_loads", () => {
  it("reads NaN/Infinity, and integers beyond 2**53 as bigint", () => {
    expect(python_json_loads("[NaN,Infinity,-Infinity,9007199254740993,9007199254740991]")).to.deep.equal(
      [NaN, Infinity, -Infinity, 9007199254740993n, 9007199254740991],
    );
  });
  it("rejects raw control characters, bad escapes and trailing data, as json.loads does", () => {
    expect(() => python_json_loads('"a\nb"')).to.throw(SyntaxError, /control character/);
    expect(() => python_json_loads('"\\x"')).to.throw(SyntaxError, /escape/);
    expect(() => python_json_loads("01")).to.throw(SyntaxError, /Extra data/);
    expect(() => python_json_loads("[1,]")).to.throw(SyntaxError, /Expecting value/);
  });
});
