// Expected values in spec/fixtures/cookies.json came from real Werkzeug 3.1 (dump_cookie,
// parse_cookie, http_date); see spec/fixtures/gen/cookies.py. This suite never calls Python.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { cookie_too_large_message, dump_cookie, http_date, parse_cookie, type CookieOptions } from "../lib/cookies.js";

interface DumpCase {
  key: string;
  value: string;
  opts: Record<string, unknown> & { expires_date?: number };
  expected?: string;
  error?: string;
  warning?: string;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/cookies.json", import.meta.url), "utf8")) as {
  now: number;
  dump_cookie: DumpCase[];
  parse_cookie: Array<{ header: string; expected?: Array<[string, string]>; error?: string }>;
  http_date: Array<{ timestamp: number; expected: string }>;
};

function optionsFor(c: DumpCase, warnings: string[]): CookieOptions {
  const { expires_date, ...rest } = c.opts;
  const options = { ...rest, now: fixture.now, warn: (m: string) => warnings.push(m) } as CookieOptions;
  if (expires_date !== undefined) options.expires = new Date(expires_date * 1000);
  return options;
}

describe("dump_cookie (expected values from real Werkzeug 3.1)", () => {
  for (const c of fixture.dump_cookie) {
    const label = `${JSON.stringify(c.key)}=${JSON.stringify(c.value).slice(0, 30)} ${JSON.stringify(c.opts)}`;
    if (c.error !== undefined) {
      it(`throws for ${label}`, () => {
        expect(() => dump_cookie(c.key, c.value, optionsFor(c, []))).to.throw(RangeError, c.error);
      });
      continue;
    }
    it(`matches Werkzeug for ${label}`, () => {
      const warnings: string[] = [];
      expect(dump_cookie(c.key, c.value, optionsFor(c, warnings))).to.equal(c.expected);
      expect(warnings).to.deep.equal(c.warning === undefined ? [] : [c.warning]);
    });
  }

  it("uses the real clock when no `now` is given", () => {
    const before = Math.floor(Date.now() / 1000);
    const header = dump_cookie("k", "v", { max_age: 3600 });
    const expires = /Expires=([^;]+)/.exec(header)?.[1] ?? "";
    const stamp = Date.parse(expires) / 1000;
    expect(stamp).to.be.within(before + 3600, before + 3600 + 5);
  });

  it("hands the warning to process.emitWarning as a UserWarning when no `warn` is given", () => {
    const seen: unknown[][] = [];
    const original = process.emitWarning;
    process.emitWarning = ((...args: unknown[]) => void seen.push(args)) as typeof process.emitWarning;
    try {
      dump_cookie("big", "x".repeat(200), { max_size: 100 });
      dump_cookie("small", "x", { max_size: 100 });
    } finally {
      process.emitWarning = original;
    }
    expect(seen).to.deep.equal([[cookie_too_large_message("big", 200, 212, 100), "UserWarning"]]);
  });

  it("rejects a domain with an empty label, as Python's idna codec does", () => {
    expect(() => dump_cookie("k", "v", { domain: "a..example" })).to.throw(TypeError, /label empty/);
  });
});

describe("parse_cookie (expected values from real Werkzeug 3.1)", () => {
  for (const c of fixture.parse_cookie) {
    if (c.expected === undefined) continue;
    it(`parses ${JSON.stringify(c.header)}`, () => {
      expect(parse_cookie(c.header)).to.deep.equal(c.expected);
    });
  }

  it("returns no pairs for a missing header", () => {
    expect(parse_cookie(undefined)).to.deep.equal([]);
    expect(parse_cookie(null)).to.deep.equal([]);
  });

  it("keeps a header that is not UTF-8 as text, where Werkzeug raises UnicodeDecodeError", () => {
    const notUtf8 = fixture.parse_cookie.filter((c) => c.error === "UnicodeDecodeError");
    expect(notUtf8.map((c) => c.header)).to.deep.equal(["a=\u00e9t\u00e9"]);
    expect(parse_cookie("a=\u00e9t\u00e9")).to.deep.equal([["a", "\u00e9t\u00e9"]]);
  });

  it("reads a header given as real text (characters beyond latin-1) as it is", () => {
    expect(parse_cookie("a=\u2603; b=\"\\303\\251\"")).to.deep.equal([["a", "\u2603"], ["b", "\u00e9"]]);
  });

  it("round-trips every value dump_cookie quotes", () => {
    const values = ["", "hello world", "a,b;c", 'say "hi"', "back\\slash", "caf\u00e9 \u2603 \u{1f600}", "tab\there"];
    for (const value of values) {
      const pair = dump_cookie("k", value, { path: null });
      const asNodeSeesIt = Buffer.from(pair, "utf8").toString("latin1");
      expect(parse_cookie(asNodeSeesIt)).to.deep.equal([["k", value]]);
    }
  });
});

describe("http_date (expected values from real Werkzeug 3.1)", () => {
  for (const c of fixture.http_date) {
    it(`formats ${c.timestamp}`, () => {
      expect(http_date(c.timestamp)).to.equal(c.expected);
    });
  }

  it("formats a Date, dropping milliseconds", () => {
    expect(http_date(new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 999)))).to.equal("Thu, 29 Feb 2024 12:30:45 GMT");
  });

  it("refuses years HTTP dates cannot carry", () => {
    expect(() => http_date(new Date(Date.UTC(10000, 0, 1)))).to.throw(RangeError, /year 10000/);
  });
});
