// Expected values in spec/fixtures/py-text.json come from real Python (str(), repr(), ascii()),
// written by spec/fixtures/gen/py_text.py; this suite never calls Python.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { isMapping, pyAscii, pyFloatRepr, pyRepr, pyStr, pyStrRepr, pyTypeName } from "../lib/py-text.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/py-text.json", import.meta.url), "utf8")) as {
  strings: { value: string; repr: string; ascii: string }[];
  floats: { value: number | string; repr: string }[];
  values: { value: unknown; str: string; repr: string }[];
};

// JSON cannot hold inf/nan: the generator wrote them as Python's repr ("inf", "-inf", "nan").
const toNumber = (value: number | string): number => (typeof value === "number" ? value : Number(value.replace("inf", "Infinity").replace("nan", "NaN")));

describe("pyStrRepr()", () => {
  for (const c of fixture.strings) {
    it(`writes ${JSON.stringify(c.value)} as Python's repr ${c.repr}`, () => {
      expect(pyStrRepr(c.value)).to.equal(c.repr);
    });
  }
});

describe("pyAscii()", () => {
  for (const c of fixture.strings) {
    it(`escapes the repr of ${JSON.stringify(c.value)} as Python's ascii() ${c.ascii}`, () => {
      expect(pyAscii(pyStrRepr(c.value))).to.equal(c.ascii);
    });
  }
});

describe("pyFloatRepr()", () => {
  for (const c of fixture.floats) {
    it(`writes ${String(c.value)} as Python's repr(float) ${c.repr}`, () => {
      expect(pyFloatRepr(toNumber(c.value))).to.equal(c.repr);
    });
  }
});

describe("pyRepr()", () => {
  for (const c of fixture.values) {
    it(`writes ${JSON.stringify(c.value)} as Python's repr ${c.repr}`, () => {
      expect(pyRepr(c.value)).to.equal(c.repr);
    });
  }

  it("writes undefined as None, a Map as a dict, and falls back to util.inspect for class instances", () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(pyRepr(undefined)).to.equal("None");
    expect(pyRepr(new Map<unknown, unknown>([["a", 1n]]))).to.equal("{'a': 1}");
    expect(pyRepr(new Point(1))).to.equal("Point { x: 1 }");
  });
});

describe("pyStr()", () => {
  for (const c of fixture.values) {
    it(`writes ${JSON.stringify(c.value)} as Python's str ${JSON.stringify(c.str)}`, () => {
      expect(pyStr(c.value)).to.equal(c.str);
    });
  }

  it("gives an Error's message, like Python's str(exception)", () => {
    expect(pyStr(new RangeError("out of range"))).to.equal("out of range");
  });

  it("uses a custom toString, and util.inspect when there is none", () => {
    expect(pyStr(new URL("http://x.test/a"))).to.equal("http://x.test/a");
    class Bag {
      items = [1];
    }
    expect(pyStr(new Bag())).to.equal("Bag { items: [ 1 ] }");
  });
});

describe("pyTypeName()", () => {
  it("names JS values by the Python type a view would have had", () => {
    expect([null, "s", true, 1, 1.5, 2n, [], {}].map(pyTypeName)).to.deep.equal(["NoneType", "str", "bool", "int", "float", "int", "list", "dict"]);
    expect(pyTypeName(new URL("http://x.test/"))).to.equal("URL");
  });
});

describe("isMapping()", () => {
  it("accepts plain objects, null-prototype objects and Maps, nothing else", () => {
    expect([{}, Object.create(null), new Map()].map(isMapping)).to.deep.equal([true, true, true]);
    expect([[], null, "x", new URL("http://x.test/")].map(isMapping)).to.deep.equal([false, false, false, false]);
  });
});
