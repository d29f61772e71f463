// Expected values in spec/fixtures/python-logging.json ("percent") come from real Python:
// `format % args` run by spec/fixtures/gen/python_logging.py.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { PercentFormatError, percentFormat, pyRepr, pyStr } from "../lib/percent-format.js";

interface PercentCase {
  format: string;
  args: unknown[] | Record<string, unknown>;
  message?: string;
  error?: string;
  error_message?: string;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/python-logging.json", import.meta.url), "utf8")) as {
  percent: PercentCase[];
};

// JSON cannot hold inf/nan: the generator wrote them as {"float": "inf"}.
function decode(args: PercentCase["args"]): unknown[] | Record<string, unknown> {
  if (!Array.isArray(args)) return args;
  return args.map((a) => {
    if (a !== null && typeof a === "object" && "float" in a) return Number((a as { float: string }).float.replace("inf", "Infinity").replace("nan", "NaN"));
    return a;
  });
}

describe("percentFormat()", () => {
  for (const c of fixture.percent) {
    const title = `${JSON.stringify(c.format)} % ${JSON.stringify(c.args)}`;
    if (c.error === undefined) {
      it(`${title} gives ${JSON.stringify(c.message)} as in Python`, () => {
        expect(percentFormat(c.format, decode(c.args))).to.equal(c.message);
      });
    } else {
      it(`${title} raises ${c.error}: ${c.error_message} as in Python`, () => {
        let caught: unknown;
        try {
          percentFormat(c.format, decode(c.args));
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(PercentFormatError);
        expect((caught as PercentFormatError).kind).to.equal(c.error);
        expect((caught as PercentFormatError).message).to.equal(c.error_message);
      });
    }
  }

  it("looks keys up in a Map as in a plain object", () => {
    expect(percentFormat("%(user)s/%(n)03d", new Map<unknown, unknown>([["user", "ann"], ["n", 7]]))).to.equal("ann/007");
  });

  it("formats bigint with %d and %x", () => {
    expect(percentFormat("%d %x", [12345678901234567890n, 255n])).to.equal("12345678901234567890 ff");
  });
});

describe("pyRepr()", () => {
  it("writes undefined as None and falls back to util.inspect for class instances", () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(pyRepr(undefined)).to.equal("None");
    expect(pyRepr(new Point(1))).to.equal("Point { x: 1 }");
  });
});

describe("pyStr()", () => {
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
