// ProxyFix: expected values in spec/fixtures/request-data.json ("proxy_fix") came from real
// Werkzeug 3.1's ProxyFix wrapped around a Flask 3.1 app (spec/fixtures/gen/request_data.py),
// for a table of X-Forwarded-* headers and trusted hop counts.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import supertest from "supertest";
import { Flask, flaskish, request, url_for } from "../lib/index.js";
import { ProxyFix, type ProxyFixOptions } from "../lib/proxy-fix.js";
import type { Environ } from "../lib/request.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

interface ProxyCase { options: ProxyFixOptions; headers: Record<string, string>; remote_addr: string; host: string; expected: Record<string, unknown> }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/request-data.json", import.meta.url), "utf8")) as { proxy_fix: ProxyCase[] };

function buildApp(options: ProxyFixOptions): Flask {
  const app = new Flask(import.meta.url, { static_folder: null });
  app.route("/where", function where() {
    return {
      remote_addr: request.remote_addr,
      scheme: request.scheme,
      is_secure: request.is_secure,
      host: request.host,
      url_root: request.url_root,
      script_root: request.script_root,
      url: request.url,
      external: url_for("where", { _external: true }),
      access_route: request.access_route,
      host_header: request.headers.get("Host") ?? null,
    };
  });
  app.wsgi_app = ProxyFix(app.wsgi_app, options);
  return app;
}

describe("ProxyFix (expected values from real Werkzeug 3.1)", () => {
  for (const c of fixture.proxy_fix) {
    it(`${JSON.stringify(c.options)} with ${JSON.stringify(c.headers)}`, async () => {
      const app = buildApp(c.options);
      const environ: Environ = {
        method: "GET", scheme: "http", host: c.host, script_name: "", raw_path: "/where", query_string: "",
        headers: { host: c.host, ...Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toLowerCase(), v])) },
        remote_addr: c.remote_addr,
      };
      const response = await app.wsgi_app(environ, { fallthrough: false, propagate: false });
      if (typeof response === "symbol") throw new Error("unexpected fall-through");
      expect(JSON.parse(response.get_data(true))).to.deep.equal(c.expected);
    });
  }

  it("keeps the original values in environ.proxy_fix_orig and the wrapped app on .app", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    const inner = app.wsgi_app;
    app.route("/", function index() { return request.environ.proxy_fix_orig ?? {}; });
    app.wsgi_app = ProxyFix(app.wsgi_app, { x_host: 1 });
    expect(app.wsgi_app).to.include({ app: inner, x_for: 1, x_proto: 1, x_host: 1, x_port: 0, x_prefix: 0 });
    const environ: Environ = { method: "GET", scheme: "http", host: "in:1", script_name: "", raw_path: "/", query_string: "", headers: { host: "in:1", "x-forwarded-host": "out" }, remote_addr: "10.0.0.1" };
    const response = await app.wsgi_app(environ, { fallthrough: false, propagate: false });
    expect(JSON.parse((response as { get_data(t: true): string }).get_data(true))).to.deep.equal({ host: "in:1", remote_addr: "10.0.0.1", scheme: "http", script_name: "" });
  });

  for (const flavour of EXPRESS_FLAVOURS) {
    it(`applies behind ${flavour.label}: a client cannot spoof its address past the trusted hop`, async () => {
      const server = flavour.create().use("/mounted", flaskish(buildApp({ x_for: 1, x_proto: 1, x_host: 1, x_prefix: 1 })));
      const res = await supertest(server).get("/mounted/where")
        .set("X-Forwarded-For", "6.6.6.6, 203.0.113.7").set("X-Forwarded-Proto", "https")
        .set("X-Forwarded-Host", "www.example.com").set("X-Forwarded-Prefix", "/shop");
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ remote_addr: "203.0.113.7", scheme: "https", host: "www.example.com", url_root: "https://www.example.com/shop/", external: "https://www.example.com/shop/where", host_header: "www.example.com" });
    });
  }
});
