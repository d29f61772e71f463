// Routing conformance table: every expectation in spec/fixtures/routing-match.json was produced
// by real Werkzeug 3.1 (Map.bind("localhost").match) running spec/fixtures/gen/routing_match.py
// on the same maps; this spec only replays them against UrlMap.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { BaseConverter } from "../lib/converters.js";
import { MethodNotAllowed, NotFound, RequestRedirect } from "../lib/http-exceptions.js";
import { Flask } from "../lib/app.js";
import { Rule } from "../lib/rule.js";
import { MapAdapter } from "../lib/url-adapter.js";
import { UrlMap } from "../lib/url-map.js";
import { makeMap, type MapSpec } from "./fixtures/routing-maps.js";

type Expect =
  | { endpoint: string; args: Record<string, unknown>; types: Record<string, "int" | "float" | "str" | "uuid" | "list"> }
  | { status: 404 }
  | { status: 405; valid_methods: string[] }
  | { status: 308; new_url: string };

interface MatchCase {
  map: string;
  path: string;
  method: string;
  query: string;
  expect: Expect;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/routing-match.json", import.meta.url), "utf8")) as {
  maps: Record<string, MapSpec>;
  cases: MatchCase[];
  allowed_methods: { map: string; path: string; expect: string[] }[];
};

const maps = new Map(Object.entries(fixture.maps).map(([name, spec]) => [name, makeMap(spec)]));
const mapNamed = (name: string): UrlMap => maps.get(name) as UrlMap;

function outcome(map: UrlMap, c: MatchCase): unknown {
  try {
    const { rule, args } = map.match(c.path, c.method, c.query);
    return { endpoint: rule.endpoint, args };
  } catch (error) {
    if (error instanceof RequestRedirect) return { status: 308, new_url: error.new_url };
    if (error instanceof MethodNotAllowed) return { status: 405, valid_methods: error.valid_methods };
    if (error instanceof NotFound) return { status: 404 };
    throw error;
  }
}

const JS_TYPES = { int: "number", float: "number", str: "string", uuid: "string", list: "object" } as const;

describe("UrlMap.match (table from real Werkzeug 3.1)", () => {
  it("has a sizeable table", () => {
    expect(fixture.cases.length).to.be.greaterThan(80);
  });

  for (const c of fixture.cases) {
    const shown = "endpoint" in c.expect ? c.expect.endpoint : `${c.expect.status}`;
    it(`${c.map}: ${c.method} ${JSON.stringify(c.path)}${c.query ? `?${c.query}` : ""} -> ${shown}`, () => {
      const got = outcome(mapNamed(c.map), c);
      if ("endpoint" in c.expect) {
        expect(got).to.deep.equal({ endpoint: c.expect.endpoint, args: c.expect.args });
        const args = (got as { args: Record<string, unknown> }).args;
        for (const [name, type] of Object.entries(c.expect.types)) expect(typeof args[name], name).to.equal(JS_TYPES[type]);
      } else {
        expect(got).to.deep.equal(c.expect);
      }
    });
  }
});

describe("UrlMap.allowed_methods (from real Werkzeug 3.1)", () => {
  for (const c of fixture.allowed_methods) {
    it(`${c.map}: ${c.path} -> [${c.expect.join(", ")}]`, () => {
      expect(mapNamed(c.map).allowed_methods(c.path)).to.deep.equal(c.expect);
    });
  }
});

describe("UrlMap.add", () => {
  it("throws at registration for an unknown converter, naming it and how to register one", () => {
    const map = new UrlMap();
    expect(() => map.add(new Rule("/tags/<list:tags>", { endpoint: "tags" }))).to.throw(/converter 'list'.*url_map\.converters\["list"\]/);
  });

  it("accepts a converter registered on map.converters after construction", () => {
    const map = new UrlMap();
    map.converters.shout = class extends BaseConverter {
      override to_python(value: string): string {
        return value.toUpperCase();
      }
    };
    map.add(new Rule("/s/<shout:word>", { endpoint: "s" }));
    expect(map.match("/s/hi", "GET").args).to.deep.equal({ word: "HI" });
  });

  it("lets a converter match on the same map while a match is converting its values", () => {
    // The matcher keeps one walk state for the next match; a re-entrant match must make its own.
    const map = new UrlMap();
    map.converters.resolved = class extends BaseConverter {
      override to_python(value: string): string {
        return map.match(`/name/${value}/9`, "GET").args.who as string;
      }
    };
    map.add(new Rule("/name/<who>/<int:n>", { endpoint: "name" }));
    map.add(new Rule("/via/<resolved:who>/<int:n>/<tail>", { endpoint: "via" }));
    expect(map.match("/via/ann/7/end", "GET").args).to.deep.equal({ who: "ann", n: 7, tail: "end" });
    expect(map.match("/name/bob/3", "GET").args).to.deep.equal({ who: "bob", n: 3 });
  });

  it("gives the same answer from _resolve as match() throws, for every kind of miss", () => {
    const map = new UrlMap();
    map.add(new Rule("/a/", { endpoint: "a" }));
    map.add(new Rule("/b", { endpoint: "b", methods: ["POST"] }));
    for (const [path, method, kind] of [["/a", "GET", RequestRedirect], ["/b", "GET", MethodNotAllowed], ["/c", "GET", NotFound]] as const) {
      const resolved = map._resolve(path, method, "x=1");
      expect(resolved).to.be.instanceOf(kind);
      expect(() => map.match(path, method, "x=1")).to.throw(kind).that.deep.includes({ ...resolved });
    }
    // _resolve's exceptions carry no stack (a routing 404 is common traffic); match() gives its caller's.
    expect((map._resolve("/c", "GET") as NotFound).stack).not.to.contain("url-map.spec");
    try {
      map.match("/c", "GET");
      expect.fail("match() should throw");
    } catch (error) {
      expect((error as NotFound).stack).to.contain("url-map.spec");
    }
  });

  it("still answers a miss where Error.stackTraceLimit is read-only (node --frozen-intrinsics)", () => {
    const script = `import { UrlMap } from ${JSON.stringify(new URL("../lib/url-map.ts", import.meta.url).href)};
      const map = new UrlMap(); console.log(map._resolve("/missing", "GET").code);`;
    const out = execFileSync(process.execPath, ["--frozen-intrinsics", "--no-warnings", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(out.trim()).to.equal("404");
  });

  it("refuses a rule already bound to another map", () => {
    const rule = new Rule("/x", { endpoint: "x" });
    new UrlMap().add(rule);
    expect(() => new UrlMap().add(rule)).to.throw(/already bound.*rule\.empty\(\)/);
    expect(() => new UrlMap().add(rule.empty())).not.to.throw();
  });

  it("binds strict_slashes and merge_slashes defaults from the map", () => {
    const map = new UrlMap({ strict_slashes: false, merge_slashes: false });
    const rule = new Rule("/x/", { endpoint: "x" });
    map.add(rule);
    expect([rule.strict_slashes, rule.merge_slashes, rule.map]).to.deep.equal([false, false, map]);
  });
});

describe("redirect_to as a function", () => {
  it("is called as Werkzeug calls it: redirect_to(adapter, values), the adapter on the matched domain", () => {
    const map = new UrlMap();
    const calls: unknown[] = [];
    map.add(new Rule("/old/<int:id>", {
      endpoint: "old",
      subdomain: "api",
      redirect_to: (adapter, values) => {
        calls.push(adapter instanceof MapAdapter, adapter.map === map, adapter.subdomain, values);
        return "/new";
      },
    }));
    expect(() => map.match("/old/7", "GET", "", "api")).to.throw(RequestRedirect).with.property("new_url", "/new");
    expect(calls).to.deep.equal([true, true, "api", { id: 7 }]);
  });

  // Each expected Location is what real Flask 3.1.3 (Werkzeug 3.1.8) answered for the same app:
  //   app.add_url_rule("/old/<int:id>", "old", redirect_to=lambda adapter, id: adapter.build("show", {"id": id * 2}))
  //   app.add_url_rule("/show/<int:id>", "show", lambda id: f"show {id}")
  //   app.add_url_rule("/rel/<slug>", "rel", redirect_to=lambda adapter, slug: f"new/{slug}?from=rel")
  //   app.test_client().get(path, base_url=base_url)
  // and, with subdomain_matching=True and SERVER_NAME "example.com":
  //   sub.add_url_rule("/old/<int:id>", "old", subdomain="<user>", redirect_to=lambda adapter, user, id: adapter.build("show", {"user": user, "id": id * 2}))
  //   sub.add_url_rule("/show/<int:id>", "show", lambda user, id: f"{user} {id}", subdomain="<user>")
  //   sub.test_client().get("/old/21", subdomain="bob")
  const FROM_FLASK: [path: string, base_url: string | null, location: string][] = [
    ["/old/21", null, "http://localhost/show/42"],
    ["/old/21", "http://localhost/mount", "http://localhost/mount/show/42"],
    ["/rel/a b", null, "http://localhost/new/a%20b?from=rel"],
    ["/rel/x", "http://localhost/mount", "http://localhost/mount/new/x?from=rel"],
  ];
  const app = new Flask(import.meta.url);
  app.add_url_rule("/old/<int:id>", { endpoint: "old", redirect_to: (adapter, { id }: { id: number }) => adapter.build("show", { id: id * 2 }) });
  app.add_url_rule("/show/<int:id>", { endpoint: "show" }, ({ id }: { id: number }) => `show ${id}`);
  app.add_url_rule("/rel/<slug>", { endpoint: "rel", redirect_to: (_adapter, { slug }: { slug: string }) => `new/${slug}?from=rel` });
  for (const [path, base_url, location] of FROM_FLASK) {
    it(`redirects ${path}${base_url ? ` under ${base_url}` : ""} to ${location}, as Flask did`, async () => {
      const res = await app.test_client().get(path, base_url === null ? {} : { base_url });
      expect([res.status_code, res.headers.get("Location")]).to.deep.equal([308, location]);
    });
  }

  // The adapter is the request's: its server name, scheme and subdomains. Real Flask 3.1.3, with
  // SERVER_NAME "example.com":
  //   app.add_url_rule("/ext/<int:id>", "ext", redirect_to=lambda adapter, id: adapter.build("show", {"id": id}, force_external=True))
  //   app.add_url_rule("/tosub/<int:id>", "tosub", redirect_to=lambda adapter, id: adapter.build("subshow", {"id": id}))
  //   app.add_url_rule("/s/<int:id>", "subshow", lambda id: f"sub {id}", subdomain="api")
  const EXTERNAL_FROM_FLASK: [path: string, base_url: string | null, location: string][] = [
    ["/ext/1", null, "http://example.com/show/1"],
    ["/ext/1", "https://example.com", "https://example.com/show/1"],
    ["/tosub/2", null, "http://api.example.com/s/2"],
  ];
  const named = new Flask(import.meta.url);
  named.config.SERVER_NAME = "example.com";
  named.add_url_rule("/ext/<int:id>", { endpoint: "ext", redirect_to: (adapter, { id }: { id: number }) => adapter.build("show", { id }, { force_external: true }) });
  named.add_url_rule("/show/<int:id>", { endpoint: "show" }, ({ id }: { id: number }) => `show ${id}`);
  named.add_url_rule("/tosub/<int:id>", { endpoint: "tosub", redirect_to: (adapter, { id }: { id: number }) => adapter.build("subshow", { id }) });
  named.add_url_rule("/s/<int:id>", { endpoint: "subshow", subdomain: "api" }, ({ id }: { id: number }) => `sub ${id}`);
  for (const [path, base_url, location] of EXTERNAL_FROM_FLASK) {
    it(`builds with the request's server: ${path}${base_url ? ` under ${base_url}` : ""} to ${location}, as Flask did`, async () => {
      const res = await named.test_client().get(path, base_url === null ? {} : { base_url });
      expect([res.status_code, res.headers.get("Location")]).to.deep.equal([308, location]);
    });
  }

  it("builds on the subdomain the request came to, as Flask did (http://bob.example.com/show/42)", async () => {
    const sub = new Flask(import.meta.url, { subdomain_matching: true });
    sub.config.SERVER_NAME = "example.com";
    sub.add_url_rule("/old/<int:id>", {
      endpoint: "old",
      subdomain: "<user>",
      redirect_to: (adapter, { user, id }: { user: string; id: number }) => adapter.build("show", { user, id: id * 2 }),
    });
    sub.add_url_rule("/show/<int:id>", { endpoint: "show", subdomain: "<user>" }, ({ user, id }: { user: string; id: number }) => `${user} ${id}`);
    const res = await sub.test_client().get("/old/21", { subdomain: "bob" });
    expect([res.status_code, res.headers.get("Location")]).to.deep.equal([308, "http://bob.example.com/show/42"]);
  });
});

describe("UrlMap.iter_rules", () => {
  it("lists every rule, or one endpoint's rules in build order (more arguments first)", () => {
    const map = new UrlMap();
    const a = new Rule("/all/", { endpoint: "all", defaults: { page: 1 } });
    const b = new Rule("/all/page/<int:page>", { endpoint: "all" });
    const c = new Rule("/other", { endpoint: "other" });
    const d = new Rule("/all/<int:page>/<int:size>", { endpoint: "all" });
    for (const r of [a, b, c, d]) map.add(r);
    expect(map.iter_rules("all")).to.deep.equal([d, a, b]);
    expect(map.iter_rules()).to.have.members([a, b, c, d]);
    expect(map.iter_rules("missing")).to.deep.equal([]);
  });
});

describe("UrlMap.match priority", () => {
  // Werkzeug: static segments beat variables whatever the registration order.
  for (const order of [["/user/<username>", "/user/new"], ["/user/new", "/user/<username>"]]) {
    it(`prefers /user/new over /user/<username> when added as ${order.join(", ")}`, () => {
      const map = new UrlMap();
      for (const rule of order) map.add(new Rule(rule, { endpoint: rule }));
      expect(map.match("/user/new", "GET").rule.rule).to.equal("/user/new");
      expect(map.match("/user/bob", "GET").args).to.deep.equal({ username: "bob" });
    });
  }

  it("lets a variable rule answer a static path whose rule takes other methods (as Werkzeug 3.1 answered)", () => {
    // Werkzeug: GET /user/new -> ('user', {'name': 'new'}); POST /user/new -> ('new', {});
    // POST / -> ('index', {}); GET / -> MethodNotAllowed(valid_methods=['POST']).
    const map = new UrlMap();
    map.add(new Rule("/user/new", { endpoint: "new", methods: ["POST"] }));
    map.add(new Rule("/user/<name>", { endpoint: "user" }));
    map.add(new Rule("/", { endpoint: "index", methods: ["POST"] }));
    map.add(new Rule("/<page>", { endpoint: "page" }));
    const get = map.match("/user/new", "GET");
    expect([get.rule.endpoint, get.args]).to.deep.equal(["user", { name: "new" }]);
    expect(map.match("/user/new", "POST").rule.endpoint).to.equal("new");
    expect(map.match("/", "POST").rule.endpoint).to.equal("index");
    expect(() => map.match("/", "GET")).to.throw(MethodNotAllowed).with.property("valid_methods").that.deep.equals(["POST"]);
  });
});

describe("UrlMap.match with 1,000 rules", () => {
  const map = new UrlMap();
  for (let i = 0; i < 1000; i++) {
    map.add(new Rule(`/section${i}/items/<int:item_id>`, { endpoint: `item${i}`, methods: ["GET"] }));
    map.add(new Rule(`/section${i}/about`, { endpoint: `about${i}` }));
  }

  it("matches the first and the last rule to the right endpoint and args", () => {
    expect(map.match("/section0/items/1", "GET")).to.include({ rule: map.iter_rules("item0")[0] });
    const last = map.match("/section999/items/42", "GET");
    expect([last.rule.endpoint, last.args]).to.deep.equal(["item999", { item_id: 42 }]);
    expect(map.match("/section999/about", "GET").rule.endpoint).to.equal("about999");
  });

  it("still answers 404 and 405 correctly", () => {
    expect(() => map.match("/section1000/about", "GET")).to.throw(NotFound);
    expect(() => map.match("/section500/items/3", "POST")).to.throw(MethodNotAllowed).with.property("valid_methods").deep.equal(["GET", "HEAD"]);
  });
});
