// app.json (Flask's DefaultJSONProvider): the exact text Flask 3.1 writes for dumps() and for
// responses, in and out of debug mode, with its switches (spec/fixtures/json-provider.json, from
// spec/fixtures/gen/json_provider.py).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Flask, Markup } from "../lib/index.js";

const expected = JSON.parse(readFileSync(new URL("./fixtures/json-provider.json", import.meta.url), "utf8")) as Record<string, string>;
const value = () => ({
  b: [1, 2.5, null, true],
  a: "é\u007f<tag>",
  m: new Markup("<em>x</em>"),
  d: new Date(Date.UTC(2015, 9, 21, 7, 28)),
  z: {},
});

describe("DefaultJSONProvider (expected text from real Flask 3.1)", () => {
  it("dumps(): sorted keys, ASCII escapes (DEL included), Python's default separators, dates as HTTP dates, Markup as its text", () => {
    expect(new Flask(import.meta.url).json.dumps(value())).to.equal(expected.dumps);
  });

  it("response(): compact with a trailing newline, application/json", () => {
    const response = new Flask(import.meta.url).json.response(value());
    expect(response.get_data(true)).to.equal(expected.response);
    expect(response.headers.get("Content-Type")).to.equal("application/json");
  });

  it("response() in debug mode: indented by 2", () => {
    const app = new Flask(import.meta.url);
    app.debug = true;
    expect(app.json.response(value()).get_data(true)).to.equal(expected.response_debug);
  });

  it("response() of plain nested data (no replacer on this path): the same text as Flask", () => {
    const plain = {
      z: [1, -2, 3.25, "x", null, false, { k: "\u00fc\u{1F600}\u2028", a: [], B: '"q" \\ \n\t\x01' }],
      a: { c: {}, b: [[[]]], "10": 0, "9": -0.5 },
    };
    expect(new Flask(import.meta.url).json.response(plain).get_data(true)).to.equal(expected.response_plain_nested);
  });

  it("response() of records holding lists of records, with keys and values that need escapes: the same text as Flask", () => {
    const records = {
      user: { name: "ann", id: 7, tags: ["x", "y\u007f"], 'k"ey': "\ud800" },
      items: [{ b: 2, a: 1 }, { a: "\u00e9", c: [{ z: 0, y: null }] }],
      ok: true,
      "a b": [0.5, -1],
    };
    expect(new Flask(import.meta.url).json.response(records).get_data(true)).to.equal(expected.response_records);
  });

  it("sorts few keys and many (over 16) in Flask's order, in records and in lists of records", () => {
    const few = () => ({ b: 1, B: 2, "\u00e9": 3, a1: 4, a: 5, _: 6 });
    const many = Object.fromEntries([17, 3, 12, 0, 19, 8, 1, 15, 6, 11, 2, 18, 9, 4, 14, 7, 13, 5, 10, 16].map((n) => [`k${n}`, n]));
    const app = new Flask(import.meta.url);
    expect(app.json.response([few(), many, { x: few() }]).get_data(true)).to.equal(expected.response_key_order);
    // The same records inside a record (written key by key rather than by JSON.stringify).
    expect(app.json.response({ many, few: few() }).get_data(true)).to.equal(expected.response_key_order_record);
  });

  it("sort_keys and ensure_ascii can be switched off", () => {
    const app = new Flask(import.meta.url);
    app.json.sort_keys = false;
    app.json.ensure_ascii = false;
    expect(app.json.response({ b: 1, a: "é" }).get_data(true)).to.equal(expected.response_unsorted_utf8);
  });

  it("refuses values JSON cannot hold, naming their type", () => {
    class Thing {}
    expect(() => new Flask(import.meta.url).json.dumps({ t: new Thing() })).to.throw(TypeError, "Object of type Thing is not JSON serializable");
  });
});
