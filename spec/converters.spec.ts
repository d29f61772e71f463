// Converter conversions: expectations in spec/fixtures/routing-converters.json come from real
// Werkzeug 3.1's built-in converters (spec/fixtures/gen/routing_converters.py).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import {
  AnyConverter,
  BaseConverter,
  converterArgs,
  DEFAULT_CONVERTERS,
  IntegerConverter,
  PathConverter,
  pyFloat,
  pyInt,
  UnicodeConverter,
  ValidationError,
} from "../lib/converters.js";
import { UrlMap } from "../lib/url-map.js";

interface Conversion {
  converter: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  direction: "to_url" | "to_python";
  value: unknown;
  expect: { result: unknown } | { error: "ValidationError" } | { error: "ValueError"; message: string };
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/routing-converters.json", import.meta.url), "utf8")) as {
  conversions: Conversion[];
};
const map = new UrlMap();

function make(c: Conversion): BaseConverter {
  const cls = DEFAULT_CONVERTERS[c.converter] as NonNullable<(typeof DEFAULT_CONVERTERS)[string]>;
  return new cls(map, ...c.args, ...(Object.keys(c.kwargs).length > 0 ? [c.kwargs] : []));
}

describe("converters (conversions from real Werkzeug 3.1)", () => {
  for (const c of fixture.conversions) {
    const outcome = "result" in c.expect ? JSON.stringify(c.expect.result) : c.expect.error;
    it(`${c.converter}(${JSON.stringify(c.args)} ${JSON.stringify(c.kwargs)}).${c.direction}(${JSON.stringify(c.value)}) -> ${outcome}`, () => {
      const converter = make(c);
      const run = (): unknown => (c.direction === "to_url" ? converter.to_url(c.value) : converter.to_python(c.value as string));
      if ("result" in c.expect) expect(run()).to.deep.equal(c.expect.result);
      else if (c.expect.error === "ValidationError") expect(run).to.throw(ValidationError);
      else expect(run).to.throw(Error, c.expect.message);
    });
  }
});

describe("BaseConverter.part_isolating", () => {
  it("is true for the default regex and for built-ins whose regex only excludes slashes", () => {
    expect(new BaseConverter(map).part_isolating).to.equal(true);
    expect(new UnicodeConverter(map, { length: 2 }).part_isolating).to.equal(true);
    expect(new AnyConverter(map, "a/b").part_isolating).to.equal(true);
    expect(new PathConverter(map).part_isolating).to.equal(false);
  });

  it("follows a subclass regex containing '/' unless the subclass sets it (Werkzeug's __init_subclass__)", () => {
    class TwoSegments extends BaseConverter {
      override regex = "[^/]+/[^/]+";
    }
    class Forced extends TwoSegments {
      override part_isolating = true;
    }
    class Assigned extends BaseConverter {
      constructor(m: UrlMap) {
        super(m);
        this.regex = "a/b";
        this.part_isolating = true;
      }
    }
    expect([new TwoSegments(map).part_isolating, new Forced(map).part_isolating, new Assigned(map).part_isolating]).to.deep.equal([false, true, true]);
  });
});

describe("UnicodeConverter", () => {
  it("builds a length-limited regex", () => {
    expect(new UnicodeConverter(map).regex).to.equal("[^/]{1,}");
    expect(new UnicodeConverter(map, { minlength: 2, maxlength: 4 }).regex).to.equal("[^/]{2,4}");
    expect(new UnicodeConverter(map, 3, null, 5).regex).to.equal("[^/]{5}");
  });
});

describe("IntegerConverter", () => {
  it("accepts negatives only when signed, and has weight 50", () => {
    const signed = new IntegerConverter(map, { signed: true });
    expect([signed.regex, new IntegerConverter(map).regex, signed.weight]).to.deep.equal(["-?\\p{Nd}+", "\\p{Nd}+", 50]);
  });
});

describe("converterArgs", () => {
  it("maps positional then keyword arguments onto names", () => {
    expect(converterArgs("c", [1, { c: 3 }], ["a", "b", "c"])).to.deep.equal({ a: 1, c: 3 });
  });

  it("rejects unknown, duplicate and surplus arguments with the accepted names", () => {
    expect(() => converterArgs("int", [{ digits: 3 }], ["fixed_digits", "min"])).to.throw(TypeError, "unexpected keyword argument 'digits'; it accepts: fixed_digits, min");
    expect(() => converterArgs("int", [1, { fixed_digits: 3 }], ["fixed_digits"])).to.throw(TypeError, "multiple values for argument 'fixed_digits'");
    expect(() => converterArgs("int", [1, 2], ["fixed_digits"])).to.throw(TypeError, "at most 1 argument(s)");
  });
});

describe("pyInt / pyFloat", () => {
  it("parse like Python's int() and float(), Unicode digits included", () => {
    expect([pyInt("٤٢"), pyInt(" -7 "), pyInt("1_000"), pyInt(2.9), pyInt(true)]).to.deep.equal([42, -7, 1000, 2, 1]);
    expect([pyFloat("١.٥"), pyFloat("1e3"), pyFloat(".5"), pyFloat("-inf")]).to.deep.equal([1.5, 1000, 0.5, -Infinity]);
    expect(() => pyInt("1.5")).to.throw(RangeError, "invalid literal for int() with base 10: '1.5'");
    expect(() => pyFloat("abc")).to.throw(RangeError, "could not convert string to float: 'abc'");
  });
});
