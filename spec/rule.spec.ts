// Rule parsing and compilation. parseConverterArgs expectations come from real Werkzeug 3.1's
// parse_converter_args (spec/fixtures/routing-converters.json, gen/routing_converters.py);
// the Rule attribute expectations mirror Werkzeug's Rule (checked by hand against it).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { compareWeighting, parseConverterArgs, pyEquals, Rule } from "../lib/rule.js";
import { UrlMap } from "../lib/url-map.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/routing-converters.json", import.meta.url), "utf8")) as {
  parse_converter_args: { argstr: string; expect: { args: unknown[]; kwargs: Record<string, unknown> } | { error: string } }[];
};

describe("parseConverterArgs (from real Werkzeug 3.1)", () => {
  for (const c of fixture.parse_converter_args) {
    it(`(${c.argstr}) -> ${JSON.stringify(c.expect)}`, () => {
      if ("error" in c.expect) {
        // Werkzeug says "Cannot parse converter argument 'min=-'"; ours adds how to write one.
        expect(() => parseConverterArgs(c.argstr)).to.throw(SyntaxError, c.expect.error);
      } else {
        expect(parseConverterArgs(c.argstr)).to.deep.equal([c.expect.args, c.expect.kwargs]);
      }
    });
  }
});

describe("new Rule", () => {
  it("upper-cases methods and adds HEAD when GET is present", () => {
    expect([...(new Rule("/", { methods: ["get", "post"] }).methods ?? [])].sort()).to.deep.equal(["GET", "HEAD", "POST"]);
    expect([...(new Rule("/", { methods: ["POST"] }).methods ?? [])]).to.deep.equal(["POST"]);
    expect(new Rule("/").methods).to.equal(null);
  });

  it("collects arguments from variables and defaults, and leaf/branch from the last slash", () => {
    const rule = new Rule("/all/<int:page>/", { defaults: { size: 10 } });
    expect([[...rule.arguments].sort(), rule.is_branch, rule.is_leaf]).to.deep.equal([["page", "size"], true, false]);
  });

  const errors: [string, RegExp][] = [
    ["post/<id>", /must start with a slash: write '\/post\/<id>'/],
    ["/post/<id", /'<' at position 6 is never closed/],
    ["/post/<int:>", /variable starting at position 6 \('<int:>'\) is not valid.*<converter:name>/],
    ["/post/<1abc>", /is not valid/],
    ["/<a>/<int:a>", /variable name 'a' twice/],
    ["/<int(min=-1):a>", /Cannot parse converter argument 'min=-'/],
  ];
  for (const [rule, message] of errors) {
    it(`rejects ${JSON.stringify(rule)} at construction, saying what to fix`, () => {
      expect(() => new Rule(rule)).to.throw(SyntaxError, message);
    });
  }

  it("rejects methods given as a string, and non-GET WebSocket methods", () => {
    expect(() => new Rule("/", { methods: "GET" })).to.throw(TypeError, /list of strings/);
    expect(() => new Rule("/", { methods: ["POST"], websocket: true })).to.throw(TypeError, /WebSocket/);
  });
});

describe("Rule.bind", () => {
  it("reports an unknown converter with the registered ones", () => {
    expect(() => new UrlMap().add(new Rule("/<money:amount>"))).to.throw(/'money'.*Registered converters: any, default, float, int, path, string, uuid\./);
  });

  it("says a converter registered as a plain object must be a BaseConverter subclass", () => {
    const map = new UrlMap();
    (map.converters as Record<string, unknown>).money = { regex: "\\d+", to_python: Number, to_url: String };
    expect(() => map.add(new Rule("/<money:amount>"))).to.throw(TypeError, /converters\["money"\] is not a class\. Register a BaseConverter subclass/);
  });

  it("passes converter arguments through: unexpected keywords are errors", () => {
    expect(() => new UrlMap().add(new Rule("/<int(digits=2):n>"))).to.throw(TypeError, /unexpected keyword argument 'digits'/);
  });

  it("merges slashes in the compiled pattern when merge_slashes is on", () => {
    const map = new UrlMap();
    const merged = new Rule("/a//b", { endpoint: "m" });
    const kept = new Rule("/c//d", { endpoint: "k", merge_slashes: false });
    map.add(merged);
    map.add(kept);
    expect([map.build("m"), map.build("k")]).to.deep.equal(["/a/b", "/c//d"]);
  });
});

describe("Rule.empty", () => {
  it("copies options into an unbound rule", () => {
    const rule = new Rule("/x/<int:n>", { endpoint: "x", methods: ["GET"], defaults: { n: 1 }, strict_slashes: false });
    rule.provide_automatic_options = false;
    new UrlMap().add(rule);
    const copy = rule.empty();
    expect([copy.map, copy.endpoint, [...(copy.methods ?? [])], copy.defaults, copy.strict_slashes, copy.provide_automatic_options]).to.deep.equal([
      undefined,
      "x",
      ["GET", "HEAD"],
      { n: 1 },
      false,
      false,
    ]);
  });
});

describe("Rule.suitable_for / provides_defaults_for / build_compare_key", () => {
  const map = new UrlMap();
  const index = new Rule("/all/", { endpoint: "all", defaults: { page: 1 } });
  const paged = new Rule("/all/page/<int:page>", { endpoint: "all", methods: ["GET"] });
  map.add(index);
  map.add(paged);

  it("needs every argument, from values or defaults, equal to defaults as Python compares", () => {
    expect([index.suitable_for({}), index.suitable_for({ page: 1 }), index.suitable_for({ page: true }), index.suitable_for({ page: "1" })]).to.deep.equal([
      true,
      true,
      true,
      false,
    ]);
    expect([paged.suitable_for({}), paged.suitable_for({ page: 2 }), paged.suitable_for({ page: 2 }, "POST")]).to.deep.equal([false, true, false]);
  });

  it("knows which rule provides defaults for which", () => {
    expect([index.provides_defaults_for(paged), paged.provides_defaults_for(index), index.provides_defaults_for(index)]).to.deep.equal([true, false, false]);
  });

  it("sorts aliases last, then more arguments and defaults first", () => {
    expect([index.build_compare_key(), paged.build_compare_key(), new Rule("/", { alias: true }).build_compare_key()]).to.deep.equal([
      [0, -1, -1],
      [0, -1, 0],
      [1, 0, 0],
    ]);
  });
});

describe("compareWeighting", () => {
  it("orders more static parts first, then longer static text, then fewer/lighter arguments", () => {
    const w = (numberStatic: number, staticWeights: [number, number][], argumentWeights: number[]) => ({
      numberStatic,
      staticWeights,
      numberArguments: -argumentWeights.length,
      argumentWeights,
    });
    expect(compareWeighting(w(-1, [[0, -4]], [100]), w(0, [], [100]))).to.be.lessThan(0);
    expect(compareWeighting(w(-1, [[0, -5]], [100]), w(-1, [[0, -4]], [100]))).to.be.lessThan(0);
    expect(compareWeighting(w(0, [], [50]), w(0, [], [100]))).to.be.lessThan(0);
    expect(compareWeighting(w(0, [], [100]), w(0, [], [100]))).to.equal(0);
  });
});

describe("pyEquals", () => {
  it("compares like Python's ==", () => {
    expect([pyEquals(1, true), pyEquals(1, 1.0), pyEquals("1", 1), pyEquals([1, "a"], [true, "a"]), pyEquals(null, undefined)]).to.deep.equal([
      true,
      true,
      false,
      true,
      false,
    ]);
  });
});
