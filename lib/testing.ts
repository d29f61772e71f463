// The test client (Flask's FlaskClient over Werkzeug's test Client), built on supertest: each
// request goes over real HTTP to the app served on 127.0.0.1 for that request only, so the
// adapter is exercised too. Owns request building, redirect following, the cookie jar's use,
// session_transaction and TestResponse; the jar is test-cookie-jar.ts, bodies test-request-body.ts.

import http from "node:http";
import type { Flask } from "./app.js";
import { flaskish } from "./express-adapter.js";
import { Headers, type HeadersInit } from "./headers.js";
import { Response } from "./response.js";
import { Cookie, CookieJar } from "./test-cookie-jar.js";
import { redirectTarget, requestTarget, testTarget } from "./test-environ.js";
import { encodeForm, encodeQuery, type FormData } from "./test-request-body.js";
import { iri_hostname } from "./urls.js";
import { get_host, SansioRequest } from "./sansio-request.js";
import type { CookieOptions } from "./cookies.js";

export { Cookie } from "./test-cookie-jar.js";
export type { FileValue, FormData, FormValue } from "./test-request-body.js";

/** Options of every request method; the names are Werkzeug's EnvironBuilder arguments. */
export interface TestRequestOptions {
  method?: string;
  /** Appended to the path's own query, as a string, URLSearchParams or object (arrays repeat). */
  query_string?: string | URLSearchParams | Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
  /** Raw body (string or bytes), or a form; a form with a file value is sent as multipart. */
  data?: string | Buffer | Uint8Array | FormData;
  /** Sent as JSON with the app's JSON provider; sets Content-Type: application/json. */
  json?: unknown;
  headers?: HeadersInit;
  content_type?: string;
  /** Follow redirects (Werkzeug's rule: 307/308 keep method and body); see `history`. */
  follow_redirects?: boolean;
  /**
   * Default `{PREFERRED_URL_SCHEME}://{SERVER_NAME or localhost}{APPLICATION_ROOT}`, where a
   * target's own scheme and server win: "//foo/bar" goes to host foo, path /bar (as in Flask).
   */
  base_url?: string;
  /** Without base_url: the request goes to this subdomain of SERVER_NAME (or of localhost). */
  subdomain?: string;
  /** Without base_url: the scheme (default PREFERRED_URL_SCHEME). */
  url_scheme?: string;
}

/** What the response was an answer to (Werkzeug's `response.request`, reduced). */
export interface TestRequestInfo {
  method: string;
  /** The URL as the app saw it (Werkzeug's `request.url`: an IRI, host from the Host header). */
  url: string;
  /** The path below the script root, decoded (Werkzeug's `request.path`). */
  path: string;
  headers: Headers;
}

/**
 * A response as the test client returns it: a flaskish Response (status_code, status, headers,
 * data, json, get_json(), mimetype, location) plus `text`, `history` and `request`.
 *
 * @example
 * const res = await client.get("/api/user");
 * expect(res.status_code).to.equal(200);
 * expect(res.get_json()).to.deep.equal({ name: "ann" });
 * expect(res.text).to.contain("ann");
 */
export class TestResponse extends Response {
  /** The redirect responses followed to reach this one, oldest first. */
  history: TestResponse[] = [];
  request!: TestRequestInfo;

  /** The body decoded as UTF-8. */
  get text(): string {
    return this.get_data(true);
  }
}

interface PreparedRequest {
  method: string;
  scheme: string;
  /** The request target sent, script root included, as given: no dot segments resolved. */
  target: string;
  scriptRoot: string;
  /** Host among them: the one the target or base URL names, unless the caller gave one. */
  headers: Headers;
  body: Buffer | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 305, 307, 308]);

type SessionCallback<T> = (session: any) => T | Promise<T>;

/**
 * Flask's test client: make requests without running a server yourself, keep cookies between
 * them, and edit the session in between.
 *
 * @example
 * const client = app.test_client();
 * const res = await client.post("/login", { data: { username: "flask" }, follow_redirects: true });
 * expect(res.status_code).to.equal(200);
 * expect(res.history[0]?.location).to.equal("/");
 */
export class FlaskClient {
  readonly application: Flask;
  readonly #jar: CookieJar | null;

  constructor(app: Flask, options: { use_cookies?: boolean } = {}) {
    this.application = app;
    this.#jar = options.use_cookies === false ? null : new CookieJar();
  }

  /**
   * open() with method GET (Werkzeug's `client.get`).
   *
   * @example
   * const res = await client.get("/search", { query_string: { q: "flask" } });
   */
  get(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "GET" });
  }
  /**
   * open() with method POST (Werkzeug's `client.post`).
   *
   * @example
   * const res = await client.post("/login", { data: { username: "ann", password: "pw" } });
   */
  post(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "POST" });
  }
  /**
   * open() with method PUT (Werkzeug's `client.put`).
   *
   * @example
   * const res = await client.put("/items/1", { json: { name: "pen" } });
   */
  put(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "PUT" });
  }
  /**
   * open() with method PATCH (Werkzeug's `client.patch`).
   *
   * @example
   * const res = await client.patch("/items/1", { json: { name: "pencil" } });
   */
  patch(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "PATCH" });
  }
  /**
   * open() with method DELETE (Werkzeug's `client.delete`).
   *
   * @example
   * const res = await client.delete("/items/1");
   */
  delete(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "DELETE" });
  }
  /**
   * open() with method HEAD (Werkzeug's `client.head`).
   *
   * @example
   * const res = await client.head("/");   // headers only, no body
   */
  head(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "HEAD" });
  }
  /**
   * open() with method OPTIONS (Werkzeug's `client.options`).
   *
   * @example
   * const res = await client.options("/");   // res.headers.get("Allow")
   */
  options(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.open(path, { ...options, method: "OPTIONS" });
  }

  /**
   * Makes a request (Werkzeug's `client.open`). When the app propagates exceptions (TESTING or
   * DEBUG), an unhandled error in a view rejects this promise with that error, as in Flask.
   *
   * @example
   * const res = await client.open("/items", { method: "PROPFIND", headers: { Depth: "1" } });
   */
  async open(path = "/", options: TestRequestOptions = {}): Promise<TestResponse> {
    let prepared = await this.#prepare(path, options);
    let response = await this.#send(prepared);
    if (!options.follow_redirects) return response;
    const seen = new Set<string>();
    const history: TestResponse[] = [];
    while (REDIRECTS.has(response.status_code)) {
      const entry = `${response.location} ${response.status_code}`;
      if (seen.has(entry)) throw new Error(`Loop detected: A ${response.status_code} redirect to ${response.location} was already made.`);
      seen.add(entry);
      response.history = [...history];
      history.push(response);
      prepared = this.#redirected(prepared, response);
      response = await this.#send(prepared);
    }
    response.history = history;
    return response;
  }

  /**
   * The cookie stored for (domain, path, key), or undefined (Werkzeug's `get_cookie`).
   *
   * @example
   * expect(client.get_cookie("session")).to.not.equal(undefined);
   */
  get_cookie(key: string, { domain = "localhost", path = "/" }: { domain?: string; path?: string } = {}): Cookie | undefined {
    return this.#cookies().get(key, domain, path);
  }

  /**
   * Stores a cookie to send with later requests, as if a response had set it.
   *
   * @example
   * client.set_cookie("theme", "dark");
   * const res = await client.get("/");   // sends Cookie: theme=dark
   */
  set_cookie(key: string, value = "", options: CookieOptions & { domain?: string; origin_only?: boolean; path?: string } = {}): void {
    this.#cookies().set(key, value, options);
  }

  /**
   * Removes a stored cookie.
   *
   * @example
   * client.delete_cookie("session");   // the next request is anonymous
   */
  delete_cookie(key: string, { domain = "localhost", path = "/" }: { domain?: string; path?: string } = {}): void {
    this.#cookies().delete(key, domain, path);
  }

  /**
   * Opens the session the next request would see, lets `fn` read and edit it, then saves it into
   * the client's cookies (Flask's `with client.session_transaction() as sess:`). `options` are
   * test_request_context's (path, base_url, headers...).
   *
   * @example
   * await client.session_transaction(async (sess) => { sess.user_id = 1; });
   * const res = await client.get("/profile");
   */
  async session_transaction<T>(fn: SessionCallback<T>): Promise<T>;
  async session_transaction<T>(options: { path?: string; base_url?: string; headers?: Record<string, string> }, fn: SessionCallback<T>): Promise<T>;
  async session_transaction<T>(a: SessionCallback<T> | { path?: string; base_url?: string; headers?: Record<string, string> }, b?: SessionCallback<T>): Promise<T> {
    const jar = this.#cookies();
    const fn = (typeof a === "function" ? a : b)!;
    const { path = "/", ...rest } = typeof a === "function" ? {} : a;
    const app = this.application;
    const probe = app.test_request_context(path, rest);
    probe.pop();
    const cookie = jar.header_for(cookieServerName(probe.request.environ.host, probe.request.scheme), probe.request.script_root + probe.request.path);
    const ctx = app.test_request_context(path, { ...rest, headers: { ...rest.headers, ...(cookie ? { cookie } : {}) } });
    ctx.pop();
    const sess = await ctx.run(() => app.session_interface.open_session(app, ctx.request));
    if (sess === null) throw new Error("Session backend did not open a session. Set app.secret_key (or configure your session interface).");
    const result = await fn(sess);
    if (app.session_interface.is_null_session(sess)) return result;
    const response = new app.response_class();
    await ctx.run(() => app.session_interface.save_session(app, sess, response));
    jar.update(ctx.request.host.split(":")[0]!, ctx.request.script_root + ctx.request.path, response.headers.getlist("Set-Cookie"));
    return result;
  }

  #cookies(): CookieJar {
    if (this.#jar === null) throw new TypeError("Cookies are disabled. Create a client with app.test_client({ use_cookies: true }).");
    return this.#jar;
  }

  async #prepare(target: string, options: TestRequestOptions): Promise<PreparedRequest> {
    // Flask's EnvironBuilder reads the target as a URL: "//foo/bar" is server foo, path /bar.
    const where = testTarget(this.application, target, options);
    let query = where.query;
    if (options.query_string !== undefined) {
      const extra = encodeQuery(options.query_string);
      if (extra) query = query ? `${query}&${extra}` : extra;
    }
    const headers = new Headers([["User-Agent", "Werkzeug/3.1.3"]]);
    for (const [k, v] of new Headers(options.headers)) {
      if (k.toLowerCase() === "user-agent") headers.set(k, v);
      else headers.add(k, v);
    }
    // A Host header given with the request wins, as in Werkzeug.
    if (!headers.has("Host")) headers.set("Host", where.host);
    let body: Buffer | undefined;
    let contentType: string | undefined;
    if (options.json !== undefined) {
      if (options.data !== undefined) throw new TypeError("Can't pass both json and data: choose one.");
      body = Buffer.from(this.application.json.dumps(options.json));
      contentType = "application/json";
    } else if (typeof options.data === "string" || options.data instanceof Uint8Array) {
      body = Buffer.from(options.data);
    } else if (options.data !== undefined) {
      const form = await encodeForm(options.data);
      body = form.body;
      contentType = form.content_type;
    }
    if (options.content_type !== undefined) contentType = options.content_type;
    if (contentType !== undefined) headers.set("Content-Type", contentType);
    return { method: (options.method ?? "GET").toUpperCase(), scheme: where.scheme, target: requestTarget(where.script_root, where.path, query), scriptRoot: where.script_root, headers, body };
  }

  // Werkzeug's resolve_redirect: same server only (redirectTarget); 307/308 keep everything,
  // others become GET.
  #redirected(previous: PreparedRequest, response: TestResponse): PreparedRequest {
    const where = redirectTarget({ scheme: previous.scheme, host: previous.headers.get("Host") ?? "", scriptRoot: previous.scriptRoot }, response.location ?? "");
    const next: PreparedRequest = { ...previous, scheme: where.scheme, target: where.target, scriptRoot: where.scriptRoot, headers: new Headers(previous.headers) };
    next.headers.set("Host", where.host);
    if (response.status_code !== 307 && response.status_code !== 308) {
      if (next.method !== "HEAD") next.method = "GET";
      next.body = undefined;
      for (const name of ["Content-Type", "Content-Length", "Transfer-Encoding"]) next.headers.delete(name);
    }
    return next;
  }

  async #send(req: PreparedRequest): Promise<TestResponse> {
    const { default: supertest } = await import("supertest");
    const headers = new Headers(req.headers);
    // Cookies are kept and sent for the host the app sees: the Host header's.
    const host = headers.get("Host") ?? "";
    const serverName = cookieServerName(host, req.scheme);
    const q = req.target.indexOf("?");
    const requestPath = q === -1 ? req.target : req.target.slice(0, q);
    const cookie = this.#jar?.header_for(serverName, requestPath);
    headers.delete("Cookie");
    if (cookie !== undefined) headers.set("Cookie", cookie);
    let appError: { error: unknown } | undefined;
    const middleware = flaskish(this.application, { fallthrough: false, propagate_errors: false });
    const secure = req.scheme === "https";
    const server = http.createServer((nodeReq, nodeRes) => {
      // The response holds the app's headers only, as Werkzeug's test client's: Node adds no
      // Date or Connection header of its own (one the app sets is kept).
      nodeRes.sendDate = false;
      nodeRes.removeHeader("Connection");
      // An https URL is served as if over TLS (the socket says it is encrypted), as Werkzeug's url_scheme.
      if (secure) Object.defineProperty(nodeReq.socket, "encrypted", { value: true, configurable: true });
      // Serve the app under the script root, as a host stack that mounted it there would.
      const url = nodeReq.url ?? "/";
      if (req.scriptRoot && (url === req.scriptRoot || url.startsWith(`${req.scriptRoot}/`) || url.startsWith(`${req.scriptRoot}?`))) {
        Object.assign(nodeReq, { originalUrl: url });
        nodeReq.url = url.slice(req.scriptRoot.length) || "/";
        if (nodeReq.url.startsWith("?")) nodeReq.url = `/${nodeReq.url}`;
      }
      middleware(nodeReq, nodeRes, (error?: unknown) => {
        if (error !== undefined) appError = { error };
        nodeRes.statusCode = error === undefined ? 404 : 500;
        nodeRes.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      let test = supertest(server)[req.method.toLowerCase() as "get"](req.target).redirects(0);
      for (const [k, v] of headers) test = test.set(k, v);
      test = test.buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
      // The body is already encoded: keep superagent from serializing it again by Content-Type.
      if (req.body !== undefined) test = test.serialize((body: unknown) => body as string).send(req.body);
      test = test.ok(() => true);
      // superagent sends the path WHATWG URL parsing makes of it ("'" in a query becomes %27):
      // send the target as given instead, as Werkzeug's test client does.
      (test as unknown as { request(): http.ClientRequest }).request().path = req.target;
      const res = await test;
      if (appError !== undefined) throw appError.error;
      const raw = (res as unknown as { res: http.IncomingMessage }).res;
      const response = new TestResponse(Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0), { status: `${res.status} ${raw.statusMessage ?? ""}`.trim() });
      response.headers = new Headers(pairs(raw.rawHeaders));
      // The request as the app saw it, for its url and path.
      const seen = new SansioRequest({
        method: req.method,
        scheme: req.scheme,
        host,
        script_name: req.scriptRoot,
        raw_path: requestPath.slice(req.scriptRoot.length),
        query_string: q === -1 ? "" : req.target.slice(q + 1),
        headers: {},
        remote_addr: "127.0.0.1",
      });
      response.request = { method: req.method, url: seen.url, path: seen.path, headers };
      this.#jar?.update(serverName, requestPath, response.headers.getlist("Set-Cookie"));
      return response;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/**
 * The host name the test client keeps cookies for, as Werkzeug's: the host name of the URL the
 * app sees (get_current_url, so a Host value that is no host name counts as "localhost").
 */
function cookieServerName(host: string, scheme: string): string {
  return iri_hostname(get_host({ host, scheme })) || "localhost";
}
