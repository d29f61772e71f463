// Subdomain and host matching, and URLs built for another subdomain or host: the MapAdapter of
// lib/url-adapter.ts, and the apps of spec/fixtures/gen/flask_domains.py built again here, whose
// every answer (status, Location, Allow, body with its url_for results) is what real Flask 3.1
// answered (spec/fixtures/flask-domains.json).
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { BadHost, Blueprint, Flask, flaskish, NotFound, RequestRedirect, Rule, url_for, UrlMap } from "../lib/index.js";
import { host_is_trusted } from "../lib/sansio-request.js";
import { subdomainOf } from "../lib/url-adapter.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

interface Case {
  method: string;
  url: string;
  host?: string;
  subdomain?: string;
  base_url?: string;
  status: number;
  location: string | null;
  allow: string | null;
  body: string | null;
}
type Section = { requests: Case[]; outside?: string[]; without_static_host?: string; rules?: [string, string, string][]; page?: string };
const fixture = JSON.parse(readFileSync(new URL("./fixtures/flask-domains.json", import.meta.url), "utf8")) as Record<string, Section>;

const sorted = (allow: string | null | undefined): string | null => (allow ? allow.split(", ").sort().join(", ") : null);

/** Runs every request of a fixture section through the test client and expects Flask's answer. */
function answersAsFlask(name: string, make: () => Flask): void {
  for (const c of fixture[name]!.requests) {
    const where = c.host ? `Host ${c.host}` : c.subdomain ? `subdomain ${c.subdomain}` : c.base_url ? `base_url ${c.base_url}` : "default host";
    it(`${c.method} ${c.url} (${where}) -> ${c.status}${c.location ? ` ${c.location}` : ""} (expected from real Flask)`, async () => {
      const res = await make()
        .test_client()
        .open(c.url, {
          method: c.method,
          ...(c.host !== undefined && { headers: { Host: c.host } }),
          ...(c.subdomain !== undefined && { subdomain: c.subdomain }),
          ...(c.base_url !== undefined && { base_url: c.base_url }),
        });
      expect(res.status_code).to.equal(c.status);
      expect(res.headers.get("Location") ?? null).to.equal(c.location);
      expect(sorted(res.headers.get("Allow"))).to.equal(sorted(c.allow));
      if (c.body !== null) expect(res.text).to.equal(c.body);
    });
  }
}

function subdomainsApp(): Flask {
  const app = new Flask(import.meta.url, { subdomain_matching: true, static_folder: null });
  app.config.SERVER_NAME = "example.com";
  app.route("/", function index() {
    return `index ${url_for("user_home", { user: "bob" })} ${url_for("index")} ${url_for("api_status")}`;
  });
  app.route("/", { subdomain: "<user>" }, function user_home({ user }) {
    return `user ${user} ${url_for("user_home", { user })} ${url_for("user_home", { user: "x y" })} ${url_for("index")}`;
  });
  app.route("/status", { subdomain: "api" }, function api_status() {
    return `api ${url_for("api_status")} ${url_for("index", { _external: true })} ${url_for("api_status", { _external: true, _scheme: "https" })}`;
  });
  app.route("/docs/", { subdomain: "api" }, function api_docs() { return "docs"; });
  app.route("/n/<int:n>", { subdomain: "<int:shard>.db" }, function shard({ n, shard }) {
    return `shard ${shard} ${n} ${url_for("shard", { shard: 3, n: 4 })}`;
  });
  return app;
}

function serverNameOnlyApp(subdomain_matching: boolean): Flask {
  const app = new Flask(import.meta.url, { static_folder: null, subdomain_matching });
  app.config.SERVER_NAME = "example.com";
  app.route("/", function index() {
    return `index ${url_for("index", { _external: true })} ${url_for("docs", { _external: true })} ${url_for("api_status")}`;
  });
  app.route("/docs/", function docs() { return "docs"; });
  app.route("/status", { subdomain: "api" }, function api_status() { return "api"; });
  return app;
}

function noServerNameApp(): Flask {
  const app = new Flask(import.meta.url, { static_folder: null, subdomain_matching: true });
  app.route("/", { subdomain: "<s>" }, function sub({ s }) { return `sub ${s}`; });
  app.route("/", function top() { return `top ${url_for("sub", { s: "q" })} ${url_for("top", { _external: true })}`; });
  app.route("/docs/", function docs() { return "docs"; });
  return app;
}

const staticRoot = mkdtempSync(path.join(os.tmpdir(), "flaskish-hosts-"));
writeFileSync(path.join(staticRoot, "a.css"), "a {}");

function hostsApp(): Flask {
  const app = new Flask(import.meta.url, { host_matching: true, static_host: "static.example.com", static_folder: staticRoot, static_url_path: "/static" });
  app.route("/", { host: "example.com" }, function home() {
    return `home ${url_for("user", { name: "bob" })} ${url_for("home")} ${url_for("static", { filename: "a.css" })}`;
  });
  app.route("/", { host: "<name>.example.org" }, function user({ name }) {
    return `user ${name} ${url_for("user", { name })} ${url_for("home")}`;
  });
  app.route("/p/", { host: "example.com:8080" }, function port() { return "port"; });
  return app;
}

function blueprintsApp(): Flask {
  const app = new Flask(import.meta.url, { subdomain_matching: true, static_folder: null });
  app.config.SERVER_NAME = "example.com:5000";
  const parent = new Blueprint("parent", import.meta.url, { subdomain: "parent" });
  const child = new Blueprint("child", import.meta.url, { subdomain: "child" });
  child.route("/", function cindex() { return `child ${url_for(".cindex")} ${url_for("parent.pindex")}`; });
  parent.route("/", function pindex() { return `parent ${url_for("parent.child.cindex")}`; });
  parent.register_blueprint(child);
  app.register_blueprint(parent);
  const tenants = new Blueprint("v", import.meta.url, { subdomain: "<tenant>" });
  tenants.route("/t", function t({ tenant }) {
    return `tenant ${tenant} ${url_for(".t", { tenant: "other" })} ${url_for(".t", { tenant })}`;
  });
  app.register_blueprint(tenants, { url_prefix: "/x" });
  return app;
}

function applicationRootApp(): Flask {
  const app = new Flask(import.meta.url, { static_folder: null, subdomain_matching: true });
  app.config.SERVER_NAME = "example.com";
  app.config.APPLICATION_ROOT = "/app";
  app.route("/", { subdomain: "<s>" }, function sub({ s }) { return `sub ${s} ${url_for("sub", { s: "o" })} ${url_for("top")}`; });
  app.route("/", function top() { return "top"; });
  app.route("/docs/", { subdomain: "<s>" }, function docs() { return "docs"; });
  return app;
}

describe("subdomain matching (answers from real Flask 3.1)", () => {
  describe("subdomain_matching with SERVER_NAME: static and variable subdomains, url_for across them", () => {
    answersAsFlask("subdomains", subdomainsApp);
    it("builds URLs outside a request from SERVER_NAME, relative only on the default subdomain (expected from real Flask)", () => {
      const app = subdomainsApp();
      app.app_context().run(() => {
        expect([
          url_for("index"),
          url_for("user_home", { user: "z" }),
          url_for("api_status", { _external: false }),
          url_for("index", { _external: false }),
        ]).to.deep.equal(fixture.subdomains!.outside);
      });
    });
  });
  describe("SERVER_NAME without subdomain_matching: every host routes as the default subdomain, SERVER_NAME is the host of URLs and redirects", () => {
    answersAsFlask("server_name_only", () => serverNameOnlyApp(false));
  });
  describe("SERVER_NAME with subdomain_matching: a host outside SERVER_NAME is not routed", () => {
    answersAsFlask("server_name_subdomain_matching", () => serverNameOnlyApp(true));
  });
  describe("subdomain_matching without SERVER_NAME: the request's host is the server name", () => {
    answersAsFlask("no_server_name", noServerNameApp);
  });
  describe("blueprints: a nested blueprint's subdomain is under its parent's; a variable subdomain", () => {
    answersAsFlask("blueprints", blueprintsApp);
    it("registers the rules with the combined subdomains (expected from real Flask)", () => {
      const rules = blueprintsApp()
        .url_map.iter_rules()
        .map((rule) => [rule.rule, rule.subdomain, rule.endpoint])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(rules).to.deep.equal(fixture.blueprints!.rules);
    });
  });
  describe("APPLICATION_ROOT: the test client's subdomain option and redirects under the root", () => {
    answersAsFlask("application_root", applicationRootApp);
    it("builds outside a request under APPLICATION_ROOT (expected from real Flask)", () => {
      applicationRootApp().app_context().run(() => {
        expect([url_for("sub", { s: "o" }), url_for("top")]).to.deep.equal(fixture.application_root!.outside);
      });
    });
  });
});

describe("host matching (answers from real Flask 3.1)", () => {
  answersAsFlask("hosts", hostsApp);
  it("builds outside a request from SERVER_NAME (expected from real Flask)", () => {
    const app = hostsApp();
    app.config.SERVER_NAME = "example.com";
    app.app_context().run(() => {
      expect([url_for("home"), url_for("user", { name: "z" }), url_for("home", { _external: false })]).to.deep.equal(fixture.hosts!.outside);
    });
  });
  it("refuses host_matching without static_host when the app has a static folder, as Flask does, saying what to pass", () => {
    expect(fixture.hosts!.without_static_host).to.equal("Invalid static_host/host_matching combination");
    expect(() => new Flask(import.meta.url, { host_matching: true })).to.throw(/^Invalid static_host\/host_matching combination: .*give static_host.*static_folder: null/);
    expect(() => new Flask(import.meta.url, { static_host: "cdn.example.com" })).to.throw(/^Invalid static_host\/host_matching combination: static_host only applies with host_matching/);
    expect(() => new Flask(import.meta.url, { host_matching: true, static_folder: null })).not.to.throw();
  });
});

function trustedHostsApp(): Flask {
  const app = new Flask(import.meta.url, { static_folder: null });
  app.config.TRUSTED_HOSTS = ["example.com", ".example.org", "bücher.example"];
  app.route("/", function index() { return `index ${url_for("index", { _external: true })}`; });
  app.route("/docs/", function docs() { return "docs"; });
  return app;
}

describe("TRUSTED_HOSTS (answers from real Flask 3.1)", () => {
  answersAsFlask("trusted_hosts", trustedHostsApp);
  it("answers an untrusted host with Flask's 400 page naming the host (expected from real Flask)", async () => {
    const res = await trustedHostsApp().test_client().get("/", { headers: { Host: "evil.com" } });
    expect(res.text).to.equal(fixture.trusted_hosts!.page);
  });
  it("checks hosts as Werkzeug's host_is_trusted: without the port, dotted names for subdomains, IDNA names", () => {
    expect(host_is_trusted("a.example.org:8080", [".example.org"])).to.equal(true);
    expect(host_is_trusted("example.org", [".example.org"])).to.equal(true);
    expect(host_is_trusted("badexample.org", [".example.org"])).to.equal(false);
    expect(host_is_trusted("xn--bcher-kva.example", ["bücher.example"])).to.equal(true);
    expect(host_is_trusted("example.com", "example.com:8080")).to.equal(true);
    expect(host_is_trusted("", ["example.com"])).to.equal(false);
    expect(host_is_trusted("exa mple.com", [])).to.equal(false);
    expect(host_is_trusted("anything.net", [])).to.equal(true);
  });
});

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`subdomains and hosts through a real server (${flavour.label})`, () => {
    it("answers an untrusted host with 400 for the app's URLs and hands other URLs on to Express", async () => {
      const server = flavour.create().use(flaskish(trustedHostsApp()));
      server.use((_req, res) => { res.status(404).send("express 404"); });
      const own = await request(server).get("/").set("Host", "evil.com");
      expect(own.status).to.equal(400);
      expect(own.text).to.contain("Host &#39;evil.com&#39; is not trusted.");
      expect((await request(server).get("/").set("Host", "a.example.org")).text).to.equal("index http://a.example.org/");
      const other = await request(server).get("/elsewhere").set("Host", "evil.com");
      expect([other.status, other.text]).to.deep.equal([404, "express 404"]);
    });

    it("routes on the Host header and builds redirects under the Express mount point", async () => {
      const server = flavour.create().use("/legacy", flaskish(subdomainsApp()));
      server.use((_req, res) => { res.status(404).send("express 404"); });
      const alice = await request(server).get("/legacy/").set("Host", "alice.example.com");
      expect(alice.status).to.equal(200);
      expect(alice.text).to.equal("user alice /legacy/ http://x%20y.example.com/legacy/ http://example.com/legacy/");
      const docs = await request(server).get("/legacy/docs?x=1").set("Host", "api.example.com");
      expect(docs.status).to.equal(308);
      expect(docs.headers.location).to.equal("http://api.example.com/legacy/docs/?x=1");
      // A rule of another subdomain is not this host's: the URL falls through to Express.
      const miss = await request(server).get("/legacy/status").set("Host", "example.com");
      expect([miss.status, miss.text]).to.deep.equal([404, "express 404"]);
    });

    it("matches hosts with host_matching, the port included where it is not the scheme's default", async () => {
      const server = flavour.create().use(flaskish(hostsApp(), { fallthrough: false }));
      expect((await request(server).get("/").set("Host", "Bob.Example.org")).text).to.equal("user bob / http://example.com/");
      expect((await request(server).get("/").set("Host", "example.com:80")).status).to.equal(200);
      expect((await request(server).get("/").set("Host", "example.com:8080")).status).to.equal(404);
      expect((await request(server).get("/static/a.css").set("Host", "static.example.com")).text).to.equal("a {}");
    });
  });
}

describe("MapAdapter", () => {
  function map(host_matching = false): UrlMap {
    const m = new UrlMap({ host_matching });
    m.add(new Rule("/", { endpoint: "index" }));
    m.add(new Rule("/", host_matching ? { endpoint: "user", host: "<user>.example.org" } : { endpoint: "user", subdomain: "<user>" }));
    m.add(new Rule("/docs/", { endpoint: "docs" }));
    return m;
  }

  it("binds a server name lower-cased and IDNA-encoded, its port kept", () => {
    expect(map().bind("Example.COM:8080").server_name).to.equal("example.com:8080");
    expect(map().bind("bücher.example").server_name).to.equal("xn--bcher-kva.example");
  });

  it("matches on its subdomain and redirects to an absolute URL on it", () => {
    const adapter = map().bind("example.com", { subdomain: "ann", script_name: "/app/" });
    expect(adapter.match("/", "GET").args).to.deep.equal({ user: "ann" });
    const bound = map().bind("example.com", { url_scheme: "https" });
    expect(bound.match("/", "GET").rule.endpoint).to.equal("index");
    expect(() => bound.match("/docs", "GET")).to.throw(RequestRedirect).with.property("new_url", "https://example.com/docs/");
    expect(() => adapter.match("/docs/", "GET")).to.throw(NotFound); // a rule of the default subdomain, not of "ann"
    const mounted = map().bind("example.com", { script_name: "/app/" });
    expect(() => mounted.match("/docs", "GET", "q=1")).to.throw(RequestRedirect).with.property("new_url", "http://example.com/app/docs/?q=1");
  });

  it("builds relative on its own subdomain or host, external elsewhere or when forced", () => {
    const adapter = map().bind("example.com", { subdomain: "ann" });
    expect(adapter.build("user", { user: "ann" })).to.equal("/");
    expect(adapter.build("user", { user: "bob" })).to.equal("http://bob.example.com/");
    expect(adapter.build("index")).to.equal("http://example.com/");
    expect(adapter.build("user", { user: "ann" }, { force_external: true, url_scheme: "https" })).to.equal("https://ann.example.com/");
    const hosts = map(true).bind("bob.example.org");
    expect(hosts.match("/", "GET").args).to.deep.equal({ user: "bob" });
    expect(hosts.build("user", { user: "bob" })).to.equal("/");
    expect(hosts.build("user", { user: "eve" })).to.equal("http://eve.example.org/");
  });

  it("gives the host of a domain part: the subdomain under the server name, or the host itself", () => {
    expect(map().bind("example.com").get_host("api")).to.equal("api.example.com");
    expect(map().bind("example.com").get_host("")).to.equal("example.com");
    expect(map(true).bind("example.com").get_host("cdn.example.net")).to.equal("cdn.example.net");
  });

  it("refuses a subdomain for a map that matches hosts, saying what to give instead", () => {
    expect(() => map(true).bind("example.com", { subdomain: "api" })).to.throw(/host_matching.*put the whole host in server_name/);
  });

  it("finds the subdomain of a host under a server name, or <invalid> when it is not under it (as Werkzeug)", () => {
    expect(subdomainOf("staging.dev.example.com", "example.com")).to.equal("staging.dev");
    expect(subdomainOf("example.com", "example.com")).to.equal("");
    expect(subdomainOf("other.org", "example.com")).to.equal("<invalid>");
    expect(subdomainOf("com", "example.com")).to.equal("<invalid>");
    expect(subdomainOf("alice.example.com:5000", "example.com")).to.equal("<invalid>");
  });
});

describe("Host values that are no host names (answers from real Flask 3.1)", () => {
  function app(subdomain_matching: boolean): Flask {
    const a = new Flask(import.meta.url, { static_folder: null, subdomain_matching });
    a.route("/", function i() { return `i ${url_for("i", { _external: true })}`; });
    a.route("/docs/", function d() { return "d"; });
    return a;
  }
  for (const subdomain_matching of [false, true]) {
    it(`treats an invalid Host (my_service:5000) as an empty host name${subdomain_matching ? ", with subdomain matching" : ""} (expected from real Flask)`, async () => {
      const client = app(subdomain_matching).test_client();
      const index = await client.get("/", { headers: { Host: "my_service:5000" } });
      expect([index.status_code, index.text]).to.deep.equal([200, "i http:///"]);
      const docs = await client.get("/docs", { headers: { Host: "my_service:5000" } });
      expect([docs.status_code, docs.headers.get("Location")]).to.deep.equal([308, "http:///docs/"]);
    });
  }

  for (const subdomain_matching of [false, true]) {
    it(`answers a Host with an empty or overlong label (a..b) with 400${subdomain_matching ? ", with subdomain matching" : ""} (expected from real Flask)`, async () => {
      const client = app(subdomain_matching).test_client();
      for (const host of ["a..b", ".", `${"x".repeat(64)}.com`]) {
        expect((await client.get("/", { headers: { Host: host } })).status_code, host).to.equal(400);
        expect((await client.get("/docs", { headers: { Host: host } })).status_code, host).to.equal(400);
      }
      expect((await client.get("/", { headers: { Host: "example.com." } })).status_code).to.equal(200);
    });
  }

  it("serves a bad Host when SERVER_NAME names the host, as Flask binds to SERVER_NAME then (expected from real Flask)", async () => {
    const a = app(false);
    a.config.SERVER_NAME = "example.com";
    expect((await a.test_client().get("/", { headers: { Host: "a..b" } })).status_code).to.equal(200);
  });

  it("hands a URL that is not the app's on to Express whatever the Host, mounted with subdomain matching", async () => {
    const a = app(true);
    const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(a));
    server.use((_req, res) => { res.status(404).send("express 404"); });
    const other = await request(server).get("/elsewhere").set("Host", "a..b");
    expect([other.status, other.text]).to.deep.equal([404, "express 404"]);
    expect((await request(server).get("/docs/").set("Host", "a..b")).status).to.equal(400);
  });

  it("ignores an empty TRUSTED_HOSTS list, as Werkzeug does", async () => {
    const a = app(false);
    a.config.TRUSTED_HOSTS = [];
    expect((await a.test_client().get("/docs/", { headers: { Host: "my_service:5000" } })).status_code).to.equal(200);
  });

  it("encodes names as Python's idna codec (IDNA 2003: ß is ss), for TRUSTED_HOSTS and bind()", () => {
    expect(host_is_trusted("strasse.de", ["straße.de"])).to.equal(true); // expected from werkzeug.sansio.utils.host_is_trusted
    expect(new UrlMap().bind("Straße.de:8080").server_name).to.equal("strasse.de:8080");
    expect(() => new UrlMap().bind("a..b")).to.throw(BadHost);
  });
});
