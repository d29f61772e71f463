// Expected values in spec/fixtures/python-logging.json ("percent") come from real Python:
// `format % args` run by spec/fixtures/gen/python_logging.py. Markup's use of the same engine
// (escaping hooks) is checked against real markupsafe in markup.spec.ts.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { percentFormat, PYTHON_HOOKS, type PercentHooks } from "../lib/percent-format.js";
import { PythonValueError } from "../lib/py-number-format.js";

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
        expect(caught).to.be.instanceOf(PythonValueError);
        expect((caught as PythonValueError).kind).to.equal(c.error);
        expect((caught as PythonValueError).message).to.equal(c.error_message);
      });
    }
  }

  it("looks keys up in a Map as in a plain object", () => {
    expect(percentFormat("%(user)s/%(n)03d", new Map<unknown, unknown>([["user", "ann"], ["n", 7]]))).to.equal("ann/007");
  });

  it("formats bigint with %d and %x", () => {
    expect(percentFormat("%d %x", [12345678901234567890n, 255n])).to.equal("12345678901234567890 ff");
  });

  it("passes %s and %r arguments through the hooks, and %a through the repr hook then ASCII escapes", () => {
    const hooks: PercentHooks = { ...PYTHON_HOOKS, str: (v) => `<${String(v)}>`, repr: (v) => `{${String(v)}}` };
    expect(percentFormat("%s %r %a %d", ["x", "y", "é", 4], hooks)).to.equal("<x> {y} {\\xe9} 4");
  });

  it("takes the numbers of %d, %x and * from the number hook, with the conversion it is for", () => {
    const seen: string[] = [];
    const hooks: PercentHooks = { ...PYTHON_HOOKS, number: (v, conversion) => (seen.push(conversion), Number(v)) };
    expect(percentFormat("[%*d|%x|%.1f]", ["3", "7", "255", "0.25"], hooks)).to.equal("[  7|ff|0.2]");
    expect(seen).to.deep.equal(["*", "d", "x", "f"]);
  });
});
