// Expected values in spec/fixtures/markupsafe.json came from the real markupsafe (see
// spec/fixtures/gen/markupsafe_fixture.py); this suite never calls Python.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { escape, escape_silent, Markup, soft_str, type HasHTML } from "../lib/markup.js";
import { html_unescape } from "../lib/html-unescape.js";
import { PythonValueError } from "../lib/py-number-format.js";

interface Case {
  op: string;
  expected?: string | string[];
  error?: string;
  value?: unknown;
  template?: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  single?: boolean;
  left?: string;
  right?: unknown;
  sep?: string | null;
  items?: unknown[];
  old?: string;
  new?: unknown;
  maxsplit?: number;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/markupsafe.json", import.meta.url), "utf8")) as { cases: Case[] };

/** Decodes the fixture's argument encoding: {markup: s} is Markup, {html: s} an __html__ object. */
function dec(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["markup"] === "string") return new Markup(o["markup"]);
    if (typeof o["html"] === "string") {
      const html = o["html"];
      return { __html__: () => html } satisfies HasHTML;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, dec(x)]));
  }
  return v;
}

function run(c: Case): string | string[] {
  const m = (text: string | undefined) => new Markup(text ?? "");
  switch (c.op) {
    case "escape": return escape(dec(c.value)).toString();
    case "escape_silent": return escape_silent(dec(c.value)).toString();
    case "markup": return new Markup(dec(c.value)).toString();
    case "mod": return (c.kwargs ? m(c.template).mod(dec(c.kwargs)) : m(c.template).mod(...(dec(c.args) as unknown[]))).toString();
    case "format": {
      const args = dec(c.args ?? []) as unknown[];
      return (c.kwargs ? m(c.template).format(...args, dec(c.kwargs)) : m(c.template).format(...args)).toString();
    }
    case "concat": return m(c.left).concat(dec(c.right) as string | HasHTML).toString();
    case "join": return m(c.sep ?? "").join(dec(c.items) as unknown[]).toString();
    case "striptags": return m(c.value as string).striptags();
    case "unescape": return m(c.value as string).unescape();
    case "upper": return m(c.value as string).upper().toString();
    case "lower": return m(c.value as string).lower().toString();
    case "strip": return m(c.value as string).strip().toString();
    case "replace": return m(c.value as string).replace(c.old ?? "", dec(c.new) as string | HasHTML).toString();
    case "split": return m(c.value as string).split(c.sep ?? null, c.maxsplit ?? -1).map(String);
    case "rsplit": return m(c.value as string).rsplit(c.sep ?? null, c.maxsplit ?? -1).map(String);
    case "splitlines": return m(c.value as string).splitlines().map(String);
    default: throw new Error(`unknown fixture op ${c.op}`);
  }
}

describe("markupsafe fixture (expected values from real markupsafe)", () => {
  const byOp = new Map<string, Case[]>();
  for (const c of fixture.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  for (const [op, cases] of byOp) {
    describe(op, () => {
      for (const c of cases) {
        const label = JSON.stringify(c.template ?? c.value ?? c.left ?? c.sep ?? "").slice(0, 70);
        if (c.error !== undefined) {
          it(`throws ${c.error} for ${label}`, () => {
            expect(() => run(c)).to.throw(PythonValueError).with.property("kind", c.error);
          });
        } else {
          it(`matches markupsafe for ${label}`, () => {
            expect(run(c)).to.deep.equal(c.expected);
          });
        }
      }
    });
  }
});

describe("escape", () => {
  it("returns a Markup usable in template literals", () => {
    const name = "<script>";
    expect(`Hello, ${escape(name)}!`).to.equal("Hello, &lt;script&gt;!");
    expect(escape(name)).to.be.instanceOf(Markup);
  });

  it("uses JS string conversion for null, undefined and booleans", () => {
    expect(escape(null).toString()).to.equal("null");
    expect(escape(undefined).toString()).to.equal("undefined");
    expect(escape(true).toString()).to.equal("true");
  });

  it("does not escape a Markup twice", () => {
    const once = escape("<a>");
    expect(escape(once).toString()).to.equal("&lt;a&gt;");
  });
});

describe("escape_silent", () => {
  it("turns null and undefined into an empty Markup", () => {
    expect(escape_silent(null).toString()).to.equal("");
    expect(escape_silent(undefined)).to.be.instanceOf(Markup);
    expect(escape_silent("&").toString()).to.equal("&amp;");
  });
});

describe("soft_str", () => {
  it("keeps strings and Markup, converts the rest", () => {
    const safe = escape("<User 1>");
    expect(soft_str(safe)).to.equal(safe);
    expect(escape(soft_str(safe)).toString()).to.equal("&lt;User 1&gt;");
    expect(escape(String(safe)).toString()).to.equal("&amp;lt;User 1&amp;gt;");
    expect(soft_str(12)).to.equal("12");
  });
});

describe("Markup", () => {
  it("holds the quickstart examples", () => {
    expect(new Markup("<strong>Hello %s!</strong>").mod("<blink>hacker</blink>").toString())
      .to.equal("<strong>Hello &lt;blink&gt;hacker&lt;/blink&gt;!</strong>");
    expect(Markup.escape("<blink>hacker</blink>").toString()).to.equal("&lt;blink&gt;hacker&lt;/blink&gt;");
    expect(new Markup("<em>Marked up</em> &raquo; HTML").striptags()).to.equal("Marked up » HTML");
  });

  it("behaves like its text where a string is expected", () => {
    const m = new Markup("<b>é</b>");
    expect(`${m}`).to.equal("<b>é</b>");
    expect(String(m)).to.equal("<b>é</b>");
    expect(m.length).to.equal(8);
    expect(JSON.stringify({ m })).to.equal('{"m":"<b>é</b>"}');
    expect(m.__html__()).to.equal(m);
    expect(`${m.concat("&")}`).to.equal("<b>é</b>&amp;");
  });

  it("keeps subclasses through its operations and Markup.escape", () => {
    class Safe extends Markup {}
    const s = Safe.escape("<x>");
    expect(s).to.be.instanceOf(Safe);
    expect(s.upper()).to.be.instanceOf(Safe);
    expect(s.split("&")[0]).to.be.instanceOf(Safe);
  });

  it("rejects a format spec on a Markup field, as markupsafe does", () => {
    expect(() => new Markup("{0:>4}").format(new Markup("x"))).to.throw(/Unsupported format specification/);
  });
});

describe("html_unescape", () => {
  it("decodes every entity markupsafe's striptags example relies on", () => {
    expect(html_unescape("&raquo;&amp;&#x41;")).to.equal("»&A");
    expect(html_unescape("no entities")).to.equal("no entities");
  });
});
