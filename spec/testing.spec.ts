// The test client (Flask's FlaskClient / Werkzeug's test Client). Redirect rules, cookie
// matching and session_transaction follow werkzeug/test.py and flask/testing.py of Flask 3.1;
// which host cookies are kept for is checked against the real Flask test client's answers
// (spec/fixtures/flask-test-client-cookies.json, made by spec/fixtures/gen/flask_test_client_cookies.py),
// and where a target starting with "//" goes against its answers for the same targets
// (spec/fixtures/flask-test-client-targets.json, made by spec/fixtures/gen/flask_test_client_targets.py).

import { expect } from "chai";
import busboy from "busboy";
import fs from "node:fs";
import { Readable } from "node:stream";
import { Flask, Headers, make_response, redirect, request, session, url_for } from "../lib/index.js";
import { Cookie, TestResponse } from "../lib/testing.js";
import { asFile, encodeForm } from "../lib/test-request-body.js";

const clientCookies = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-test-client-cookies.json", import.meta.url), "utf8")) as {
  host_header: { stored_domains: string[]; echo: Record<string, string>; get_cookie_localhost: boolean; get_cookie_example: string };
  base_url: { stored_domains: string[]; echo: Record<string, string> };
  hosts: Record<string, { stored_domains: string[]; echo_same_host: string; echo_no_host: string }>;
  redirect_relative: string;
  redirect_absolute_same_host: string;
  session_transaction_upper_host: Record<string, unknown>;
};

type Seen = { host: string; scheme: string; script_root: string; path: string; full_path: string; url: string; args: Record<string, string[]> };
const clientTargets = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-test-client-targets.json", import.meta.url), "utf8")) as {
  targets: {
    target: string;
    config: Record<string, string>;
    options: { base_url?: string; subdomain?: string; url_scheme?: string; headers?: Record<string, string>; query_string?: Record<string, string> };
    seen?: Seen;
    request?: { url: string; path: string };
    error?: string;
  }[];
  routing: Record<string, { status: number; location: string | null; followed: { status: number; text: string; history: number[] } }>;
  cookies: { stored_domains: string[]; get_cookie_foo: string; get_cookie_localhost: boolean; echo: Record<string, string> };
  redirects: Record<string, { text: string; url: string; locations: string[] } | { error: string }>;
  redirect_hosts: Record<string, string>;
  session_transaction: { foo: Record<string, unknown>; localhost: Record<string, unknown>; after_edit: Record<string, string> };
};

function makeApp(): Flask {
  const app = new Flask("client_app", { static_folder: null });
  app.secret_key = "testing secret";
  app.route("/echo", { methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] }, function echo() {
    return {
      method: request.method,
      args: request.args.to_dict(false),
      json: request.is_json ? request.get_json() : null,
      content_type: request.content_type ?? null,
      header: request.headers.get("X-Thing") ?? null,
      user_agent: request.headers.get("User-Agent") ?? null,
      cookie: request.headers.get("Cookie") ?? null,
      host: request.host,
    };
  });
  app.route("/form", { methods: ["POST"] }, function form() {
    return { name: request.form.getlist("name"), tags: request.form.getlist("tag") };
  });
  app.route("/upload", { methods: ["POST"] }, function upload() {
    const files = request.files.getlist("doc").map((f) => [f.filename, f.content_type, f.read().toString()]);
    return { title: request.form.get("title"), files };
  });
  app.route("/text", function text() {
    return make_response(["plain", 201, { "Content-Type": "text/plain; charset=utf-8", "X-Custom": "yes" }]);
  });
  app.route("/to-b", function to_b() { return redirect("/b"); });
  app.route("/b", function b() { return redirect(url_for("c"), 301); });
  app.route("/c", { methods: ["GET", "POST"] }, function c() { return `c ${request.method} ${request.get_data(true)}`; });
  app.route("/post-307", { methods: ["POST"] }, function post_307() { return redirect("/c", 307); });
  app.route("/post-302", { methods: ["POST"] }, function post_302() { return redirect("/c", 302); });
  app.route("/loop", function loop() { return redirect("/loop"); });
  app.route("/external", function external() { return redirect("http://example.com/"); });
  app.route("/set", function set() {
    const r = make_response("set");
    r.set_cookie("flavour", "oatmeal", { httponly: true, samesite: "Lax" });
    r.set_cookie("scoped", "yes", { path: "/deep" });
    return r;
  });
  app.route("/unset", function unset() {
    const r = make_response("unset");
    r.delete_cookie("flavour");
    return r;
  });
  app.route("/deep/echo", function deep() { return request.headers.get("Cookie") ?? ""; });
  app.route("/whoami", function whoami() { return `user=${session.get("user", "nobody")}`; });
  app.route("/login/<name>", function login({ name }: { name: string }) {
    session.user = name;
    return "ok";
  });
  app.route("/boom", function boom() { throw new RangeError("view failed"); });
  app.route("/where", function where() { return `${request.script_root}|${request.path}|${url_for("where")}`; });
  return app;
}

describe("FlaskClient#get / #open", () => {
  it("returns a TestResponse with status_code, status, headers, data, text, mimetype", async () => {
    const res = await makeApp().test_client().get("/text");
    expect(res).to.be.instanceOf(TestResponse);
    expect(res.status_code).to.equal(201);
    expect(res.status).to.equal("201 CREATED");
    expect(res.headers).to.be.instanceOf(Headers);
    expect(res.headers.get("x-custom")).to.equal("yes");
    expect(res.headers.get("Content-Length")).to.equal("5");
    expect(Buffer.isBuffer(res.data)).to.equal(true);
    expect(res.data.toString()).to.equal("plain");
    expect(res.text).to.equal("plain");
    expect(res.mimetype).to.equal("text/plain");
    expect(res.request.method).to.equal("GET");
  });

  it("sends query_string (object with arrays, or string) after the path's own query, on host localhost", async () => {
    const client = makeApp().test_client();
    const res = await client.get("/echo?a=1", { query_string: { b: ["2", "3"], c: "x y" } });
    expect(res.json).to.deep.include({ args: { a: ["1"], b: ["2", "3"], c: ["x y"] }, host: "localhost", user_agent: "Werkzeug/3.1.3" });
    expect((await client.get("/echo", { query_string: "q=%2F" })).get_json()).to.deep.include({ args: { q: ["/"] } });
  });

  it("sends every method, json, headers and content_type", async () => {
    const client = makeApp().test_client();
    for (const method of ["post", "put", "patch", "delete", "options"] as const) {
      const res = await client[method]("/echo", { json: { n: 1 }, headers: { "X-Thing": "hdr" } });
      if (method === "options") {
        expect(res.status_code).to.equal(200);
        continue;
      }
      expect(res.json).to.deep.include({ method: method.toUpperCase(), json: { n: 1 }, content_type: "application/json", header: "hdr" });
    }
    const raw = await client.post("/echo", { data: "<x/>", content_type: "application/xml" });
    expect(raw.json).to.deep.include({ content_type: "application/xml" });
  });

  it("head() gets the headers and no body", async () => {
    const res = await makeApp().test_client().head("/text");
    expect(res.status_code).to.equal(201);
    expect(res.headers.get("Content-Length")).to.equal("5");
    expect(res.data.length).to.equal(0);
  });

  it("sends a form as application/x-www-form-urlencoded, arrays as repeated fields", async () => {
    const res = await makeApp().test_client().post("/form", { data: { name: "Ada Lovelace", tag: ["a", "b&c"] } });
    expect(res.json).to.deep.equal({ name: ["Ada Lovelace"], tags: ["a", "b&c"] });
  });

  it("serves the app under APPLICATION_ROOT as its script root", async () => {
    const app = makeApp();
    app.config.APPLICATION_ROOT = "/prefix";
    expect((await app.test_client().get("/where")).text).to.equal("/prefix|/where|/prefix/where");
  });

  // Real Flask 3.1's test client, for `return "x"`: [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "1")].
  it("answers with the app's headers only, as Flask's test client does: no Date or Connection of the server's", async () => {
    const app = makeApp();
    app.route("/x", function x() { return "x"; });
    app.route("/dated", function dated() { return ["d", { Date: "Wed, 21 Oct 2015 07:28:00 GMT" }]; });
    const client = app.test_client();
    expect([...(await client.get("/x")).headers]).to.deep.equal([["Content-Type", "text/html; charset=utf-8"], ["Content-Length", "1"]]);
    expect((await client.get("/dated")).headers.get("Date")).to.equal("Wed, 21 Oct 2015 07:28:00 GMT");
  });

  it("keeps APPLICATION_ROOT as the script root of a target with no path", async () => {
    const app = makeApp();
    app.config.APPLICATION_ROOT = "/prefix";
    app.route("/", function root() { return `${request.script_root}|${request.path}|${request.args.get("x") ?? ""}`; });
    const client = app.test_client();
    expect((await client.get("")).text).to.equal("/prefix|/|");
    expect((await client.get("?x=1")).text).to.equal("/prefix|/|1");
  });

  it("rejects with the view's error when the app propagates exceptions (TESTING), else answers 500", async () => {
    const app = makeApp();
    const client = app.test_client();
    app.logger.handlers = [];
    expect((await client.get("/boom")).status_code).to.equal(500);
    app.testing = true;
    const error = await client.get("/boom").then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError).with.property("message", "view failed");
  });
});

describe("FlaskClient#post with files", () => {
  it("sends multipart/form-data the app reads as request.files and request.form", async () => {
    const res = await makeApp().test_client().post("/upload", {
      data: { title: "report", doc: [{ data: Buffer.from("PDF?"), filename: "a.pdf", content_type: "application/pdf" }, [Buffer.from("plain"), "b.txt"]] },
    });
    expect(res.json).to.deep.equal({ title: "report", files: [["a.pdf", "application/pdf", "PDF?"], ["b.txt", "text/plain", "plain"]] });
  });

  // Real Flask 3.1's test client, data={"a": (BytesIO(b"x"), "a.txt"), "b": (..., "b.png"), "c": (..., "noext"),
  // "d": (..., "d.txt", "application/x-mine")}: a=text/plain,b=image/png,c=application/octet-stream,d=application/x-mine
  it("guesses a file's content type from its name, as Werkzeug's test client does", async () => {
    const app = makeApp();
    app.route("/types", { methods: ["POST"] }, function types() {
      return [...request.files.items()].map(([key, file]) => `${key}=${file.content_type}`).join(",");
    });
    const x = Buffer.from("x");
    const res = await app.test_client().post("/types", { data: { a: [x, "a.txt"], b: [x, "b.png"], c: [x, "noext"], d: [x, "d.txt", "application/x-mine"] } });
    expect(res.text).to.equal("a=text/plain,b=image/png,c=application/octet-stream,d=application/x-mine");
  });

  // Python 3.11's mimetypes.guess_type(name)[0], which Werkzeug's add_file uses (None: octet-stream).
  it("reads a compression suffix as Python's mimetypes does", () => {
    const types = ["a.gz", "a.tar.gz", "a.tgz", "json", ".json", "a.tar.bz2", "a.txt.gz", "a.TXT"].map((name) => asFile([Buffer.from("x"), name])?.content_type);
    expect(types).to.deep.equal(["application/octet-stream", "application/x-tar", "application/x-tar", "application/octet-stream", "application/octet-stream", "application/x-tar", "text/plain", "text/plain"]);
  });
});

describe("encodeForm (files)", () => {
  async function parse(body: Buffer, contentType: string) {
    const fields: [string, string][] = [];
    const files: { name: string; filename: string; mimeType: string; data: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: { "content-type": contentType } });
      bb.on("field", (name, value) => fields.push([name, value]));
      bb.on("file", (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => files.push({ name, filename: info.filename ?? "", mimeType: info.mimeType, data: Buffer.concat(chunks).toString() }));
      });
      bb.on("close", resolve);
      bb.on("error", reject);
      bb.end(body);
    });
    return { fields, files };
  }

  it("switches to multipart when a value is a file: object, tuple, stream and FileStorage-like shapes", async () => {
    const { body, content_type } = await encodeForm({
      title: "hello",
      one: { data: Buffer.from("first"), filename: "one.txt", content_type: "text/plain" },
      two: [Buffer.from("second"), "two.bin"],
      three: { data: Readable.from([Buffer.from("thi"), Buffer.from("rd")]), filename: "three.csv", content_type: "text/csv" },
      four: { stream: "fourth", filename: "four.md", content_type: "text/markdown" },
      many: [[Buffer.from("m1"), "m1.txt"], [Buffer.from("m2"), "m2.txt"]],
    });
    expect(content_type).to.match(/^multipart\/form-data; boundary=/);
    const parsed = await parse(body, content_type);
    expect(parsed.fields).to.deep.equal([["title", "hello"]]);
    expect(parsed.files).to.deep.equal([
      { name: "one", filename: "one.txt", mimeType: "text/plain", data: "first" },
      { name: "two", filename: "two.bin", mimeType: "application/octet-stream", data: "second" },
      { name: "three", filename: "three.csv", mimeType: "text/csv", data: "third" },
      { name: "four", filename: "four.md", mimeType: "text/markdown", data: "fourth" },
      { name: "many", filename: "m1.txt", mimeType: "text/plain", data: "m1" },
      { name: "many", filename: "m2.txt", mimeType: "text/plain", data: "m2" },
    ]);
  });

  it("stays urlencoded without files", async () => {
    expect(await encodeForm({ a: "1 2", b: ["x", "y"], skip: null })).to.deep.equal({ body: Buffer.from("a=1+2&b=x&b=y"), content_type: "application/x-www-form-urlencoded" });
  });
});

describe("FlaskClient follow_redirects", () => {
  it("follows redirects and lists them in history, oldest first", async () => {
    const res = await makeApp().test_client().get("/to-b", { follow_redirects: true });
    expect(res.text).to.equal("c GET ");
    expect(res.history.map((r) => [r.status_code, r.location])).to.deep.equal([[302, "/b"], [301, "/c"]]);
    expect(res.history[1]!.history.map((r) => r.status_code)).to.deep.equal([302]);
    expect(res.request.path).to.equal("/c");
  });

  it("keeps method and body for 307, turns POST into GET without a body for 302 (Werkzeug's rule)", async () => {
    const client = makeApp().test_client();
    expect((await client.post("/post-307", { data: "payload", follow_redirects: true })).text).to.equal("c POST payload");
    expect((await client.post("/post-302", { data: "payload", follow_redirects: true })).text).to.equal("c GET ");
  });

  it("does not follow without follow_redirects, and refuses loops and external hosts", async () => {
    const client = makeApp().test_client();
    const res = await client.get("/to-b");
    expect(res.status_code).to.equal(302);
    expect(res.location).to.equal("/b");
    expect(res.history).to.deep.equal([]);
    const loop = await client.get("/loop", { follow_redirects: true }).then(() => null, (e: Error) => e.message);
    expect(loop).to.equal("Loop detected: A 302 redirect to /loop was already made.");
    const external = await client.get("/external", { follow_redirects: true }).then(() => null, (e: Error) => e.message);
    expect(external).to.equal("Following external redirects is not supported.");
  });
});

/** The app of spec/fixtures/gen/flask_test_client_cookies.py. */
function cookieHostsApp(): Flask {
  const app = new Flask("cookie_hosts", { static_folder: null });
  app.secret_key = "cookie hosts";
  app.route("/set", function set() {
    const response = make_response("ok");
    response.set_cookie("flavour", "oatmeal");
    return response;
  });
  app.route("/echo", function echo() {
    return request.headers.get("Cookie") ?? "none";
  });
  app.route("/login", function login() {
    const response = redirect(request.args.get("next", "/echo")!);
    response.set_cookie("flavour", "oatmeal");
    return response;
  });
  app.route("/remember", function remember() {
    session.u = 1;
    return "ok";
  });
  return app;
}

describe("FlaskClient cookies", () => {
  it("keeps cookies set by responses and sends them back where their path matches", async () => {
    const client = makeApp().test_client();
    await client.get("/set");
    const cookie = client.get_cookie("flavour");
    expect(cookie).to.be.instanceOf(Cookie);
    expect(cookie).to.include({ key: "flavour", value: "oatmeal", domain: "localhost", path: "/", http_only: true, same_site: "Lax", origin_only: true });
    expect(client.get_cookie("scoped", { path: "/deep" })?.value).to.equal("yes");
    expect((await client.get("/echo")).json).to.deep.include({ cookie: "flavour=oatmeal" });
    expect((await client.get("/deep/echo")).text).to.equal("flavour=oatmeal; scoped=yes");
    await client.get("/unset");
    expect(client.get_cookie("flavour")).to.equal(undefined);
  });

  it("set_cookie and delete_cookie edit the jar directly", async () => {
    const client = makeApp().test_client();
    client.set_cookie("theme", "dark");
    expect(client.get_cookie("theme")?.value).to.equal("dark");
    expect((await client.get("/echo")).json).to.deep.include({ cookie: "theme=dark" });
    client.delete_cookie("theme");
    expect((await client.get("/echo")).json).to.deep.include({ cookie: null });
  });

  it("keeps and sends cookies for the host the app sees: a Host header wins over the base URL (answers of real Flask)", async () => {
    // Expected values: spec/fixtures/flask-test-client-cookies.json, the real Flask test client's answers.
    const app = cookieHostsApp();
    const domains = (client: ReturnType<Flask["test_client"]>, hosts: string[]) => hosts.filter((domain) => client.get_cookie("flavour", { domain }) !== undefined);

    const byHeader = app.test_client();
    await byHeader.get("/set", { headers: { Host: "example.org" } });
    expect(domains(byHeader, ["localhost", "example.org"])).to.deep.equal(clientCookies.host_header.stored_domains);
    for (const [host, expected] of Object.entries(clientCookies.host_header.echo)) {
      const response = await byHeader.get("/echo", host === "(none)" ? {} : { headers: { Host: host } });
      expect(response.text, `Host: ${host}`).to.equal(expected);
    }
    expect(byHeader.get_cookie("flavour") !== undefined).to.equal(clientCookies.host_header.get_cookie_localhost);
    expect(byHeader.get_cookie("flavour", { domain: "example.org" })?.value).to.equal(clientCookies.host_header.get_cookie_example);

    const byBaseUrl = app.test_client();
    await byBaseUrl.get("/set", { base_url: "http://example.org:8080" });
    expect(domains(byBaseUrl, ["localhost", "example.org"])).to.deep.equal(clientCookies.base_url.stored_domains);
    for (const [host, expected] of Object.entries(clientCookies.base_url.echo)) {
      const response = await byBaseUrl.get("/echo", { base_url: "http://example.org:8080", ...(host === "(none)" ? {} : { headers: { Host: host } }) });
      expect(response.text, `Host: ${host}`).to.equal(expected);
    }
  });

  it("files a cookie under the host name of the URL the app sees, whatever the Host value (answers of real Flask)", async () => {
    for (const [host, expected] of Object.entries(clientCookies.hosts)) {
      const client = cookieHostsApp().test_client();
      await client.get("/set", { headers: { Host: host } });
      for (const domain of expected.stored_domains) expect(client.get_cookie("flavour", { domain }), `Host: ${host}`).to.not.equal(undefined);
      if (!expected.stored_domains.includes("localhost")) expect(client.get_cookie("flavour"), `Host: ${host}`).to.equal(undefined);
      expect((await client.get("/echo", { headers: { Host: host } })).text, `Host: ${host}`).to.equal(expected.echo_same_host);
      expect((await client.get("/echo")).text, `Host: ${host}, then none`).to.equal(expected.echo_no_host);
    }
  });

  it("follows a redirect on the Host header's server, cookies included; session_transaction reads that host's cookies (answers of real Flask)", async () => {
    const app = cookieHostsApp();
    let client = app.test_client();
    expect((await client.get("/login", { headers: { Host: "example.org" }, follow_redirects: true })).text).to.equal(clientCookies.redirect_relative);
    client = app.test_client();
    const absolute = await client.get("/login?next=http://example.org/echo", { headers: { Host: "example.org" }, follow_redirects: true });
    expect(absolute.text).to.equal(clientCookies.redirect_absolute_same_host);
    client = app.test_client();
    await client.get("/remember", { headers: { Host: "EXAMPLE.org" } });
    const seen = await client.session_transaction({ headers: { Host: "EXAMPLE.org" } }, (sess) => ({ ...sess }));
    expect(seen).to.deep.equal(clientCookies.session_transaction_upper_host);
  });

  it("with use_cookies: false, sends none and refuses the cookie methods with Werkzeug's message", async () => {
    const client = makeApp().test_client({ use_cookies: false });
    await client.get("/set");
    expect((await client.get("/echo")).json).to.deep.include({ cookie: null });
    expect(() => client.get_cookie("flavour")).to.throw(TypeError, /^Cookies are disabled\. Create a client with/);
  });
});

describe("FlaskClient#session_transaction", () => {
  it("edits the session the next request sees, and reads what a request stored", async () => {
    const client = makeApp().test_client();
    expect((await client.get("/whoami")).text).to.equal("user=nobody");
    await client.session_transaction(async (sess) => {
      sess.user = "alice";
    });
    expect((await client.get("/whoami")).text).to.equal("user=alice");
    await client.get("/login/bob");
    expect(await client.session_transaction((sess) => sess.user)).to.equal("bob");
  });

  it("fails when the backend opens no session (no secret key)", async () => {
    const app = makeApp();
    app.secret_key = null;
    const error = await app.test_client().session_transaction(() => undefined).then(() => null, (e: Error) => e.message);
    expect(error).to.match(/^Session backend did not open a session\./);
  });
});

describe("test client: where a request goes (Flask's EnvironBuilder)", () => {
  function whereApp(): Flask {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.route("/", function index() { return `${request.scheme} ${request.host}`; });
    return app;
  }

  it("uses PREFERRED_URL_SCHEME, the subdomain option under SERVER_NAME, and a given Host header over both", async () => {
    const app = whereApp();
    app.config.SERVER_NAME = "example.com";
    app.config.PREFERRED_URL_SCHEME = "https";
    const client = app.test_client();
    expect((await client.get("/")).text).to.equal("https example.com");
    expect((await client.get("/", { subdomain: "api", url_scheme: "http" })).text).to.equal("http api.example.com");
    expect((await client.get("/", { headers: { Host: "other.org" } })).text).to.equal("https other.org");
    expect((await client.get("/", { base_url: "https://secure.example.com" })).text).to.equal("https secure.example.com");
  });

  it("refuses subdomain or url_scheme together with base_url, saying where they go", async () => {
    const client = whereApp().test_client();
    let error: unknown;
    try {
      await client.get("/", { base_url: "http://x.example.com", subdomain: "api" });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError).with.property("message").that.matches(/Cannot pass "subdomain" or "url_scheme" with "base_url"/);
  });
});

describe("test client: a target starting with \"//\" names a server (Flask's EnvironBuilder reads the target as a URL)", () => {
  // Expected values: spec/fixtures/flask-test-client-targets.json, the answers of the real Flask
  // 3.1 test client to the same requests (spec/fixtures/gen/flask_test_client_targets.py).
  const describeRequest = (): Seen => ({
    host: request.host,
    scheme: request.scheme,
    script_root: request.script_root,
    path: request.path,
    full_path: request.full_path,
    url: request.url,
    args: request.args.to_dict(false) as Record<string, string[]>,
  });

  function targetsApp(config: Record<string, string>): Flask {
    const app = new Flask("targets", { static_folder: null });
    Object.assign(app.config, { SERVER_NAME: null, APPLICATION_ROOT: "/", PREFERRED_URL_SCHEME: "http" }, config);
    // Answered before routing, so every target gets an answer, as in the generator.
    app.before_request(describeRequest);
    return app;
  }

  /** What flaskish shows where Flask shows raw non-ASCII query text: the escape (docs/differences.md). */
  const fullPathAsSent = (seen: Seen, target: string): Seen =>
    /\?.*[^\x00-\x7f]/.test(target) ? { ...seen, full_path: seen.full_path.replace(/\?.*$/s, (q) => q.replace(/[^\x00-\x7f]/g, (c) => encodeURIComponent(c))) } : seen;

  it("goes to the server the target names, with the path and query after it (answers of real Flask)", async () => {
    const cases = clientTargets.targets.filter((c) => c.seen !== undefined);
    expect(cases.map((c) => c.target)).to.include.members(["//foo/bar", "//foo:8080/bar?x=1", "//foo", "//[::1]:5000/p", "///x"]);
    for (const { target, config, options, seen, request: info } of cases) {
      const label = `${target} ${JSON.stringify({ ...config, ...options })}`;
      const res = await targetsApp(config).test_client().get(target, options);
      expect(res.status_code, label).to.equal(200);
      expect(res.json, label).to.deep.equal(fullPathAsSent(seen!, target));
      // Werkzeug's response.request: the request as the client built it.
      expect({ url: res.request.url, path: res.request.path }, label).to.deep.equal(info);
    }
  });

  it("builds test_request_context's request the same way (answers of real Flask's test client)", () => {
    for (const { target, config, options, seen } of clientTargets.targets) {
      if (seen === undefined) continue;
      const label = `${target} ${JSON.stringify({ ...config, ...options })}`;
      const ctx = targetsApp(config).test_request_context(target, options);
      try {
        // test_request_context sends nothing over HTTP: the query stays as written, as in Flask.
        expect(ctx.run(describeRequest), label).to.deep.equal(seen);
      } finally {
        ctx.pop();
      }
    }
  });

  it("refuses the targets Python's urlsplit refuses, as Flask's test client raises (answers of real Flask)", async () => {
    const cases = clientTargets.targets.filter((c) => c.error !== undefined);
    expect(cases.map((c) => c.target)).to.deep.equal(["//foo:abc/bar", "//foo:99999/bar", "//[::1/p", "//[foo]/p", "//foo..bar/p"]);
    for (const { target, config, options, error } of cases) {
      const rejection = await targetsApp(config).test_client().get(target, options).then(() => null, (e: unknown) => e);
      expect(rejection, `${target} (Flask: ${error})`).to.be.instanceOf(TypeError).with.property("message").that.contains(JSON.stringify(target));
      expect(() => targetsApp(config).test_request_context(target, options), target).to.throw(TypeError);
    }
    const port = await targetsApp({}).test_client().get("//foo:abc/bar").then(() => "", (e: Error) => e.message);
    expect(port).to.contain("Port could not be cast to integer value as 'abc'");
  });

  it("routes the path after the server; an empty path (//foo) is served as / where Flask first redirects to / (answers of real Flask)", async () => {
    const app = new Flask("routing", { static_folder: null });
    app.route("/", function index() { return `index ${request.url}`; });
    app.route("/bar", function bar() { return `bar ${request.url}`; });
    for (const [target, flask] of Object.entries(clientTargets.routing)) {
      const res = await app.test_client().get(target, { follow_redirects: true });
      expect(res.status_code, target).to.equal(flask.followed.status);
      expect(res.text, target).to.equal(flask.followed.text);
      if (flask.status === 200) {
        expect(res.history, target).to.deep.equal([]);
      } else {
        // Werkzeug routes the empty PATH_INFO of "//foo" to a 308 to "http://foo/"; flaskish
        // serves an empty path as "/" (Node cannot receive one), so it lands there at once.
        expect([flask.status, flask.location, flask.followed.history], target).to.deep.equal([308, `http://foo/${target.includes("?") ? "?x=1" : ""}`, [308]]);
        expect(res.history, target).to.deep.equal([]);
      }
    }
  });

  /** The app of the generator's cookie part. */
  function cookieTargetsApp(): Flask {
    const app = new Flask("cookie_targets", { static_folder: null });
    app.secret_key = "cookie targets";
    app.route("/set", function set() {
      const response = make_response("ok");
      response.set_cookie("flavour", "oatmeal");
      return response;
    });
    const echo = () => `${request.host} ${request.headers.get("Cookie") ?? "none"}`;
    app.route("/echo", function echo_() { return echo(); });
    app.route("/deep/echo", function deep_echo() { return echo(); });
    const login = () => {
      const response = redirect(request.args.get("next", "/echo")!);
      response.set_cookie("flavour", "oatmeal");
      return response;
    };
    app.route("/login", function login_() { return login(); });
    app.route("/deep/login", function deep_login() { return login(); });
    app.route("/remember", function remember() {
      session.u = 1;
      return "ok";
    });
    app.route("/show", function show() { return session.u === undefined ? "None" : String(session.u); });
    return app;
  }

  it("keeps a cookie for the server the target names and sends it there only (answers of real Flask)", async () => {
    const client = cookieTargetsApp().test_client();
    await client.get("//foo/set");
    const expected = clientTargets.cookies;
    expect(expected.stored_domains).to.deep.equal(["foo"]);
    expect(client.get_cookie("flavour", { domain: "foo" })?.value).to.equal(expected.get_cookie_foo);
    expect(client.get_cookie("flavour") !== undefined).to.equal(expected.get_cookie_localhost);
    for (const [target, text] of Object.entries(expected.echo)) expect((await client.get(target)).text, target).to.equal(text);
  });

  it("follows redirects on that server; a Location \"//host/path\" names a server, \"///path\" none (answers of real Flask)", async () => {
    for (const [target, flask] of Object.entries(clientTargets.redirects)) {
      const outcome = await cookieTargetsApp().test_client().get(target, { follow_redirects: true }).then(
        (res) => ({ text: res.text, url: res.request.url, locations: res.history.map((r) => r.location) }),
        (e: Error) => ({ error: `RuntimeError: ${e.message}` }),
      );
      if (target === "//foo/login?next=//foo/echo") {
        // Werkzeug's resolve_redirect takes the Location's scheme even when it has none, so Flask
        // sends the next request with scheme "" ("://foo/echo") and, finding no host in that URL,
        // without the cookie ("foo none"). flaskish keeps the scheme it had.
        expect(flask).to.deep.equal({ text: "foo none", url: "://foo/echo", locations: ["//foo/echo"] });
        expect(outcome, target).to.deep.equal({ text: "foo flavour=oatmeal", url: "http://foo/echo", locations: ["//foo/echo"] });
        continue;
      }
      if (target === "//foo/login?next=///echo") {
        // Werkzeug writes every Location through iri_to_uri, which makes "///echo" "/echo";
        // flaskish's response keeps "///echo". Both clients follow it to the same place.
        expect(flask).to.deep.include({ locations: ["/echo"] });
        expect(outcome, target).to.deep.equal({ ...flask, locations: ["///echo"] });
        continue;
      }
      expect(outcome, target).to.deep.equal(flask);
    }
  });

  it("compares the hosts of a redirect lower-cased, the Host header's too (answers of real Flask)", async () => {
    for (const [key, text] of Object.entries(clientTargets.redirect_hosts)) {
      const [host, location] = key.split(" ") as [string, string];
      const res = await cookieTargetsApp().test_client().get("/login", { query_string: { next: location }, headers: { Host: host }, follow_redirects: true });
      expect(res.text, key).to.equal(text);
    }
  });

  it("session_transaction opens and saves the session of the server its target names (answers of real Flask)", async () => {
    const client = cookieTargetsApp().test_client();
    await client.get("//foo/remember");
    const expected = clientTargets.session_transaction;
    expect(await client.session_transaction({ path: "//foo/" }, (sess) => ({ ...sess }))).to.deep.equal(expected.foo);
    expect(await client.session_transaction({ path: "/" }, (sess) => ({ ...sess }))).to.deep.equal(expected.localhost);
    await client.session_transaction({ path: "//foo/" }, (sess) => {
      sess.u = 2;
    });
    for (const [target, text] of Object.entries(expected.after_edit)) expect((await client.get(target)).text, target).to.equal(text);
  });
});
