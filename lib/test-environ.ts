// The made-up request behind app.test_request_context(): an Environ built from a path and
// options, as Werkzeug's EnvironBuilder builds one. No IO.

import type { Flask } from "./app.js";
import type { Environ } from "./request.js";

/** Options of `app.test_request_context(path, options)`, Werkzeug's EnvironBuilder arguments. */
export interface TestEnvironOptions {
  method?: string;
  headers?: Record<string, string>;
  query_string?: string | Record<string, string>;
  /** Scheme, host and mount point, e.g. "https://example.com/app". */
  base_url?: string;
  /** Without base_url: the request goes to this subdomain of SERVER_NAME (or of localhost). */
  subdomain?: string;
  /** Without base_url: the scheme (default PREFERRED_URL_SCHEME). */
  url_scheme?: string;
  data?: string | Buffer;
  content_type?: string;
  json?: unknown;
}

/**
 * Where a test request goes, as Flask's EnvironBuilder decides: `base_url`, else
 * `{url_scheme or PREFERRED_URL_SCHEME}://[{subdomain}.]{SERVER_NAME or localhost}{APPLICATION_ROOT}/`.
 *
 * @example
 * testBaseUrl(app, { subdomain: "api" }).href;   // "http://api.example.com/" with SERVER_NAME "example.com"
 */
export function testBaseUrl(app: Pick<Flask, "config">, options: { base_url?: string | undefined; subdomain?: string | undefined; url_scheme?: string | undefined }): URL {
  if (options.base_url !== undefined) {
    if (options.subdomain || options.url_scheme) throw new TypeError('Cannot pass "subdomain" or "url_scheme" with "base_url": put them in base_url.');
    return new URL(options.base_url);
  }
  const config = app.config;
  const serverName = (config.SERVER_NAME as string | null) || "localhost";
  const host = options.subdomain ? `${options.subdomain}.${serverName}` : serverName;
  const root = String(config.APPLICATION_ROOT ?? "/").replace(/\/+$/, "");
  return new URL(`${options.url_scheme ?? String(config.PREFERRED_URL_SCHEME ?? "http")}://${host}${root}/`);
}

/** Builds the Environ (and body) of a test request for `app`. */
export function testEnviron(app: Flask, target: string, options: TestEnvironOptions): { environ: Environ; body: Buffer | undefined } {
  const base = testBaseUrl(app, options);
  const [rawPath = "/", rawQuery = ""] = target.split("?", 2) as [string, string?];
  const query =
    options.query_string === undefined ? rawQuery
    : typeof options.query_string === "string" ? options.query_string
    : new URLSearchParams(options.query_string).toString();
  const headers: Record<string, string> = { host: base.host };
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: Buffer | undefined;
  if (options.json !== undefined) {
    body = Buffer.from(app.json.dumps(options.json));
    headers["content-type"] = "application/json";
  } else if (options.data !== undefined) {
    body = Buffer.from(options.data);
  }
  if (options.content_type !== undefined) headers["content-type"] = options.content_type;
  if (body !== undefined) headers["content-length"] = String(body.length);
  const environ: Environ = {
    method: (options.method ?? "GET").toUpperCase(),
    scheme: base.protocol.replace(":", ""),
    // A Host header given in `headers` wins, as in Werkzeug.
    host: headers.host ?? base.host,
    script_name: base.pathname.replace(/\/+$/, ""),
    raw_path: encodeURI(rawPath.startsWith("/") ? rawPath : `/${rawPath}`).replace(/%25([0-9A-Fa-f]{2})/g, "%$1"),
    query_string: query,
    headers,
    remote_addr: "127.0.0.1",
    ...(body !== undefined ? { body } : {}),
  };
  return { environ, body };
}
