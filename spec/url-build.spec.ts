// URL building conformance: every expectation in spec/fixtures/routing-build.json was produced by
// real Werkzeug 3.1 (Map.bind("localhost").build) running spec/fixtures/gen/routing_build.py on
// the same maps; this spec replays them against UrlMap.build and BuildError.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { Rule } from "../lib/rule.js";
import { BuildError, buildRule } from "../lib/url-build.js";
import { UrlMap, type BuildOptions } from "../lib/url-map.js";
import { makeMap, type MapSpec } from "./fixtures/routing-maps.js";

interface BuildCase {
  map: string;
  endpoint: string;
  values: Record<string, unknown>;
  options: BuildOptions;
  expect: { url: string } | { error: "BuildError"; message: string; suggested: string | null } | { error: "ValueError"; message: string };
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/routing-build.json", import.meta.url), "utf8")) as {
  maps: Record<string, MapSpec>;
  cases: BuildCase[];
};
const maps = new Map(Object.entries(fixture.maps).map(([name, spec]) => [name, makeMap(spec)]));

describe("UrlMap.build (table from real Werkzeug 3.1)", () => {
  for (const c of fixture.cases) {
    const shown = "url" in c.expect ? c.expect.url : c.expect.error;
    it(`${c.map}: ${c.endpoint} ${JSON.stringify(c.values)} ${JSON.stringify(c.options)} -> ${shown}`, () => {
      const map = maps.get(c.map) as UrlMap;
      const run = (): string => map.build(c.endpoint, c.values, c.options);
      if ("url" in c.expect) {
        expect(run()).to.equal(c.expect.url);
      } else if (c.expect.error === "BuildError") {
        expect(run).to.throw(BuildError, c.expect.message);
        try {
          run();
        } catch (error) {
          expect((error as BuildError).message).to.equal(c.expect.message);
          expect((error as BuildError).suggested ?? null).to.equal(c.expect.suggested);
        }
      } else {
        expect(run).to.throw(Error, c.expect.message);
      }
    });
  }
});

describe("BuildError", () => {
  it("carries endpoint, values and method", () => {
    const map = new UrlMap();
    map.add(new Rule("/user/<username>", { endpoint: "profile", methods: ["GET"] }));
    try {
      map.build("profile", { tab: "x", gone: null }, { method: "POST" });
      expect.fail("build should have thrown");
    } catch (error) {
      expect(error).to.be.instanceOf(BuildError);
      const e = error as BuildError;
      expect([e.endpoint, e.values, e.method, e.suggested, e.name]).to.deep.equal(["profile", { tab: "x" }, "POST", "profile", "BuildError"]);
      expect(e.message).to.equal(
        "Could not build url for endpoint 'profile' ('POST') with values ['tab']. Did you mean to use methods ['GET', 'HEAD']? Did you forget to specify values ['username']?",
      );
    }
  });

  it("has no suggestion on an empty map", () => {
    const e = new BuildError("x", {}, undefined, []);
    expect([e.message, e.suggested]).to.deep.equal(["Could not build url for endpoint 'x'.", undefined]);
  });
});

describe("buildRule", () => {
  it("throws for an unbound rule, saying how to bind it", () => {
    expect(() => buildRule(new Rule("/x"), {})).to.throw(/url_map\.add/);
  });

  it("builds a bound rule without the query when append_unknown is off", () => {
    const map = new UrlMap();
    const rule = new Rule("/a/<int:n>", { endpoint: "a" });
    map.add(rule);
    expect([buildRule(rule, { n: 3, q: 1 }), buildRule(rule, { n: 3, q: 1 }, false)]).to.deep.equal(["/a/3?q=1", "/a/3"]);
  });
});
