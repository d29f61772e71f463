// The test client's cookies, kept as Werkzeug 3.1's test Client keeps them: one Cookie per
// (domain, path, key), filled from Set-Cookie headers, sent back on matching requests, removed
// by Max-Age=0 or an epoch Expires. Owns the jar only; the client (testing.ts) does the HTTP.

import { dump_cookie, parse_cookie, type CookieOptions } from "./cookies.js";

/**
 * A cookie the test client holds (Werkzeug's test `Cookie`), as `client.get_cookie()` returns it.
 *
 * @example
 * expect(client.get_cookie("theme")?.value).to.equal("dark");
 */
export class Cookie {
  /** The key and value as they appear in the header. */
  key = "";
  value = "";
  /** The key and value with quoting and escapes undone. */
  decoded_key = "";
  decoded_value = "";
  expires: Date | null = null;
  max_age: number | null = null;
  /** The Domain attribute, or the host that set the cookie. */
  domain = "localhost";
  /** True when no Domain attribute was given: only that exact host gets the cookie back. */
  origin_only = true;
  path = "/";
  secure: boolean | null = null;
  http_only: boolean | null = null;
  same_site: string | null = null;

  /**
   * Reads one Set-Cookie header sent in answer to a request for `serverName` + `path`.
   *
   * @example
   * const c = Cookie.from_response_header("localhost", "/login", "sid=abc; Path=/; HttpOnly");
   * c.decoded_value;   // "abc"; c.http_only: true
   */
  static from_response_header(serverName: string, path: string, header: string): Cookie {
    const semi = header.indexOf(";");
    const pair = semi === -1 ? header : header.slice(0, semi);
    const params = new Map<string, string | null>();
    for (const item of (semi === -1 ? "" : header.slice(semi + 1)).split(";")) {
      const eq = item.indexOf("=");
      params.set((eq === -1 ? item : item.slice(0, eq)).trim().toLowerCase(), eq === -1 ? null : item.slice(eq + 1).trim());
    }
    const eq = pair.indexOf("=");
    const cookie = new Cookie();
    cookie.key = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    cookie.value = eq === -1 ? "" : pair.slice(eq + 1).trim();
    const [decoded] = parse_cookie(pair);
    cookie.decoded_key = decoded?.[0] ?? cookie.key;
    cookie.decoded_value = decoded?.[1] ?? cookie.value;
    const expires = params.get("expires");
    if (expires) {
      const date = new Date(expires);
      cookie.expires = Number.isNaN(date.getTime()) ? null : date;
    }
    if (params.has("max-age")) cookie.max_age = Number.parseInt(params.get("max-age") || "0", 10) || 0;
    cookie.domain = params.get("domain") || serverName;
    cookie.origin_only = !params.has("domain");
    cookie.path = params.get("path") || path.slice(0, path.lastIndexOf("/")) || "/";
    cookie.secure = params.has("secure");
    cookie.http_only = params.has("httponly");
    cookie.same_site = params.get("samesite") ?? null;
    return cookie;
  }

  /**
   * Whether a request to `serverName` + `path` carries this cookie (Werkzeug's rule).
   *
   * @example
   * client.get_cookie("sid")?.matches_request("localhost", "/account");   // true for a Path=/ cookie
   */
  matches_request(serverName: string, path: string): boolean {
    const domainOk =
      serverName === this.domain ||
      (!this.origin_only && serverName.endsWith(this.domain) && serverName.slice(0, -this.domain.length).endsWith("."));
    const pathOk =
      path === this.path || (path.startsWith(this.path) && path.slice(this.path.length - (this.path.endsWith("/") ? 1 : 0)).startsWith("/"));
    return domainOk && pathOk;
  }

  /** Max-Age=0 or an Expires at the epoch: the server asked for the cookie to go. */
  get should_delete(): boolean {
    return this.max_age === 0 || (this.expires !== null && this.expires.getTime() === 0);
  }

  /**
   * The jar key: JSON of (domain, path, decoded key), one cookie per triple as in Werkzeug.
   *
   * @example
   * cookie.storage_key;   // '["localhost","/","sid"]'
   */
  get storage_key(): string {
    return JSON.stringify([this.domain, this.path, this.decoded_key]);
  }
}

/** The client's cookies, keyed by (domain, path, key). */
export class CookieJar {
  readonly #cookies = new Map<string, Cookie>();

  get(key: string, domain = "localhost", path = "/"): Cookie | undefined {
    return this.#cookies.get(JSON.stringify([domain, path, key]));
  }

  /** Stores a cookie as `client.set_cookie` does: through dump_cookie, so options apply as Werkzeug's. */
  set(key: string, value: string, { domain = "localhost", origin_only = true, path = "/", ...options }: CookieOptions & { domain?: string; origin_only?: boolean; path?: string } = {}): void {
    const cookie = Cookie.from_response_header(domain, "/", dump_cookie(key, value, { ...options, domain, path, max_size: 0 }));
    cookie.origin_only = origin_only;
    this.#store(cookie);
  }

  delete(key: string, domain = "localhost", path = "/"): void {
    this.#cookies.delete(JSON.stringify([domain, path, key]));
  }

  /** Updates the jar from a response's Set-Cookie headers. */
  update(serverName: string, path: string, headers: readonly string[]): void {
    for (const header of headers) this.#store(Cookie.from_response_header(serverName, path, header));
  }

  /** The Cookie request header for a request to `serverName` + `path`, or undefined. */
  header_for(serverName: string, path: string): string | undefined {
    const value = [...this.#cookies.values()].filter((c) => c.matches_request(serverName, path)).map((c) => `${c.key}=${c.value}`).join("; ");
    return value || undefined;
  }

  #store(cookie: Cookie): void {
    if (cookie.should_delete) this.#cookies.delete(cookie.storage_key);
    else this.#cookies.set(cookie.storage_key, cookie);
  }
}
