// Where a made-up request goes, and the Environ of app.test_request_context(): a target read as
// Flask's EnvironBuilder and then Werkzeug's read it (Python's urlsplit, twice), the base URL
// built from the options and the config. Shared by the test client (testing.ts). No IO.

import { isIP } from "node:net";
import type { Flask } from "./app.js";
import { idnaEncode } from "./idna.js";
import type { Environ } from "./request.js";
import { iri_to_uri, quote, URL_PARTS } from "./urls.js";

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

/** The five parts of a URL as Python's `urllib.parse.urlsplit` finds them ("" when absent). */
export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

/**
 * Python 3.11's `urlsplit`, which Werkzeug's test client reads targets and Locations with:
 * "//host/path" names a server (a network-path reference), "///path" names none, and a
 * "[...]" host must be an IP address. Throws TypeError where urlsplit raises ValueError.
 *
 * @example
 * urlsplit("//foo:8080/bar?x=1");   // { scheme: "", netloc: "foo:8080", path: "/bar", query: "x=1", fragment: "" }
 */
export function urlsplit(input: string): SplitUrl {
  // What Python 3.11.4+ removes before splitting (the WHATWG URL standard's leading C0 and space, and tab/CR/LF anywhere).
  const url = input.replace(/^[\x00-\x20]+/, "").replace(/[\t\r\n]/g, "");
  const [, scheme = "", netloc, path = "", query = "", fragment = ""] = URL_PARTS.exec(url)!;
  if (netloc !== undefined) checkBrackets(input, netloc);
  checkNfkc(input, netloc ?? "");
  return { scheme: scheme.toLowerCase(), netloc: netloc ?? "", path, query, fragment };
}

function invalidTarget(url: string, why: string, cause?: unknown): TypeError {
  return new TypeError(`Cannot read the URL ${JSON.stringify(url)}: ${why} (Python's urlsplit, which Werkzeug's test client uses, refuses it too).`, cause === undefined ? undefined : { cause });
}

// urlsplit's bracket checks: both or neither, and an IPv6 address or IPvFuture inside.
function checkBrackets(url: string, netloc: string): void {
  const open = netloc.includes("[");
  if (open !== netloc.includes("]")) throw invalidTarget(url, "Invalid IPv6 URL");
  if (!open) return;
  const bracketed = netloc.slice(netloc.indexOf("[") + 1).split("]")[0]!;
  if (bracketed.startsWith("v")) {
    if (!/^v[a-f0-9]+\..+$/is.test(bracketed)) throw invalidTarget(url, "IPvFuture address is invalid");
  } else if (isIP(bracketed) === 0) {
    throw invalidTarget(url, `'${bracketed}' does not appear to be an IPv4 or IPv6 address`);
  } else if (isIP(bracketed) === 4) {
    throw invalidTarget(url, "An IPv4 address cannot be in brackets");
  }
}

// urlsplit's _checknetloc: a non-ASCII netloc must not gain a delimiter under NFKC normalization.
function checkNfkc(url: string, netloc: string): void {
  if (/^[\x00-\x7f]*$/.test(netloc)) return;
  const bare = netloc.replace(/[@:#?]/g, "");
  if (/[/?#@:]/.test(bare.normalize("NFKC"))) throw invalidTarget(url, `netloc '${netloc}' contains invalid characters under NFKC normalization`);
}

/**
 * The Host value Werkzeug's EnvironBuilder makes of a URL's netloc (iri_to_uri's): the host
 * name lower-cased and IDNA-encoded, the port as a number (none for 0), user info kept.
 * `url` is what error messages quote.
 *
 * @example
 * hostFromNetloc("//FOO:080/x", "FOO:080");   // "foo:80"
 */
export function hostFromNetloc(url: string, netloc: string): string {
  const at = netloc.lastIndexOf("@");
  const hostinfo = netloc.slice(at + 1);
  let hostname: string;
  let port: string;
  if (hostinfo.includes("[")) {
    const [inside = "", after = ""] = hostinfo.slice(hostinfo.indexOf("[") + 1).split("]", 2);
    hostname = inside;
    port = after.includes(":") ? after.slice(after.indexOf(":") + 1) : "";
  } else {
    const colon = hostinfo.indexOf(":");
    hostname = colon === -1 ? hostinfo : hostinfo.slice(0, colon);
    port = colon === -1 ? "" : hostinfo.slice(colon + 1);
  }
  let host = "";
  if (hostname) {
    // An IPv6 zone ("%eth0") keeps its case, as in Python's `hostname`.
    const zone = hostname.indexOf("%");
    const name = zone === -1 ? hostname.toLowerCase() : hostname.slice(0, zone).toLowerCase() + hostname.slice(zone);
    try {
      host = idnaEncode(name);
    } catch (error) {
      throw invalidTarget(url, `cannot encode the host ${JSON.stringify(name)} with IDNA`, error);
    }
  }
  if (host.includes(":")) host = `[${host}]`;
  if (port) {
    if (!/^[0-9]+$/.test(port)) throw invalidTarget(url, `Port could not be cast to integer value as '${port}'`);
    const number = Number.parseInt(port, 10);
    if (number > 65535) throw invalidTarget(url, "Port out of range 0-65535");
    if (number !== 0) host += `:${number}`;
  }
  if (at !== -1) {
    const userinfo = netloc.slice(0, at);
    const colon = userinfo.indexOf(":");
    const username = colon === -1 ? userinfo : userinfo.slice(0, colon);
    const password = colon === -1 ? "" : userinfo.slice(colon + 1);
    if (username) host = `${quote(username, "%!$&'()*+,;=")}${password ? `:${quote(password, "%!$&'()*+,;=")}` : ""}@${host}`;
  }
  return host;
}

/** Where a test request goes and what it asks for: the parts of Werkzeug's environ. */
export interface TestTarget {
  /** wsgi.url_scheme. */
  scheme: string;
  /** HTTP_HOST before any Host header given with the request. */
  host: string;
  /** SCRIPT_NAME, percent-encoded, without a trailing slash. */
  script_root: string;
  /** PATH_INFO, percent-encoded. "" when the target names no path ("//foo"), else as written: no "/" added. */
  path: string;
  /** The target's own query, or undefined when it has no "?". */
  query: string | undefined;
}

/**
 * Reads a test request's target as Flask 3.1's EnvironBuilder, then Werkzeug's, read it.
 * Without `base_url`, the target's own scheme and server win over the options and the config:
 * "//foo/bar" is host "foo", path "/bar"; the base URL is
 * `{url_scheme or PREFERRED_URL_SCHEME}://[{subdomain}.]{SERVER_NAME or localhost}{APPLICATION_ROOT}`.
 * With `base_url`, only the target's path and query count. What is left as the path is read as
 * a URL once more (Werkzeug's own urlsplit), so "//foo//bar" asks for no path at all.
 *
 * @example
 * testTarget(app, "//foo:8080/bar?x=1", {});   // { scheme: "http", host: "foo:8080", script_root: "", path: "/bar", query: "x=1" }
 */
export function testTarget(app: Pick<Flask, "config">, target: string, options: { base_url?: string | undefined; subdomain?: string | undefined; url_scheme?: string | undefined }): TestTarget {
  let base: SplitUrl;
  let baseUrl: string;
  let path = target;
  if (options.base_url !== undefined) {
    if (options.subdomain || options.url_scheme) throw new TypeError('Cannot pass "subdomain" or "url_scheme" with "base_url": put them in base_url.');
    baseUrl = options.base_url;
    base = urlsplit(baseUrl);
    if (base.query || base.fragment) throw new TypeError(`base_url ${JSON.stringify(baseUrl)} must not contain a query string or fragment: pass them with the path.`);
  } else {
    const config = app.config;
    const serverName = (config.SERVER_NAME as string | null) || "localhost";
    const url = urlsplit(target);
    const scheme = url.scheme || (options.url_scheme ?? String(config.PREFERRED_URL_SCHEME ?? "http")).toLowerCase();
    const netloc = url.netloc || (options.subdomain ? `${options.subdomain}.${serverName}` : serverName);
    const root = `/${String(config.APPLICATION_ROOT ?? "/").replace(/^\/+/, "")}`;
    // Errors quote the target when its server is the one refused.
    baseUrl = url.netloc ? target : `${scheme}://${netloc}${root}`;
    base = { scheme, netloc, path: root, query: "", fragment: "" };
    path = url.query ? `${url.path}?${url.query}` : url.path;
  }
  const request = urlsplit(path);
  return {
    scheme: base.scheme,
    host: hostFromNetloc(baseUrl, base.netloc),
    script_root: quote(base.path, "%!$&'()*+,/:;=@").replace(/\/+$/, ""),
    path: iri_to_uri(request.path),
    query: path.includes("?") ? request.query : undefined,
  };
}

/**
 * The request target sent for a script root, PATH_INFO and query. Node's HTTP parser needs a
 * target starting with "/", so an empty PATH_INFO ("//foo") is sent as the script root's "/";
 * non-ASCII query text goes out percent-encoded (Werkzeug keeps it raw, but Node refuses raw
 * non-ASCII bytes in a request line): request.args are the same.
 *
 * @example
 * requestTarget("/app", "/x", "q=é");   // "/app/x?q=%C3%A9"
 */
export function requestTarget(scriptRoot: string, path: string, query: string | undefined): string {
  const full = `${scriptRoot}${path.startsWith("/") ? "" : "/"}${path}`;
  return query === undefined ? full : `${full}?${quote(query, "%!$&'()*+,/:;=?@")}`;
}

/** Where a followed redirect goes: the scheme, Host and script root it is sent with, and its target. */
export interface RedirectTarget {
  scheme: string;
  host: string;
  scriptRoot: string;
  target: string;
}

/**
 * Where the test client follows a Location to, as Werkzeug's resolve_redirect reads it
 * (urlsplit): "//host/path" names a server, "///path" none, and a path is taken as written, not
 * resolved against the current one. It must stay on the server the request went to (`from.host`,
 * its Host header's), both hosts compared as Werkzeug's iri_to_uri writes them (lower-cased,
 * IDNA-encoded); the script root is kept when the path is under it.
 *
 * @example
 * redirectTarget({ scheme: "http", host: "localhost", scriptRoot: "/app" }, "/app/next?x=1").target;   // "/app/next?x=1"
 */
export function redirectTarget(from: { scheme: string; host: string; scriptRoot: string }, location: string): RedirectTarget {
  const to = urlsplit(location);
  let host = from.host;
  try {
    host = hostFromNetloc(from.host, from.host);
  } catch {
    // a Host value no URL could hold: compared as it is
  }
  const fromName = host.split(":")[0]!.split(".");
  let toName = fromName;
  let scheme = from.scheme;
  if (to.netloc) {
    host = hostFromNetloc(location, to.netloc);
    toName = host.split(":")[0]!.split(".");
    // Werkzeug would take the Location's scheme even when it has none, and send "" as the scheme.
    scheme = to.scheme || from.scheme;
  }
  if (toName.join(".") !== fromName.join(".")) {
    if (toName.slice(-fromName.length).join(".") === fromName.join(".")) throw new Error("Following subdomain redirects is not enabled.");
    throw new Error("Following external redirects is not supported.");
  }
  const root = from.scriptRoot.split("/");
  const under = to.path.split("/").slice(0, root.length).join("/") === from.scriptRoot;
  const scriptRoot = under ? from.scriptRoot : "";
  // An empty query is none: Werkzeug follows "/x?" and "/x" alike.
  return { scheme, host, scriptRoot, target: requestTarget(scriptRoot, to.path.slice(scriptRoot.length), to.query || undefined) };
}

/** Builds the Environ (and body) of a test request for `app`. */
export function testEnviron(app: Flask, target: string, options: TestEnvironOptions): { environ: Environ; body: Buffer | undefined } {
  const where = testTarget(app, target, options);
  const written =
    options.query_string === undefined ? (where.query ?? "")
    : typeof options.query_string === "string" ? options.query_string
    : new URLSearchParams(options.query_string).toString();
  // An Environ's query string holds bytes as latin-1 code units, as Node hands them over (and
  // as WSGI's QUERY_STRING holds them): raw non-ASCII text goes in as its UTF-8 bytes.
  const query = /^[\x00-\x7f]*$/.test(written) ? written : Buffer.from(written, "utf8").toString("latin1");
  const headers: Record<string, string> = { host: where.host };
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
    scheme: where.scheme,
    // A Host header given in `headers` wins, as in Werkzeug.
    host: headers.host ?? where.host,
    script_name: where.script_root,
    // Environ paths start with "/": an empty PATH_INFO ("//foo") is served as "/", as the adapter serves it.
    raw_path: where.path.startsWith("/") ? where.path : `/${where.path}`,
    query_string: query,
    headers,
    remote_addr: "127.0.0.1",
    ...(body !== undefined ? { body } : {}),
  };
  return { environ, body };
}
