// The request as Werkzeug's sans-IO Request sees it: facts derived from the `Environ` alone
// (method, URL parts, args, headers, cookies, client address, content type). Knows nothing of
// the body or of routing; request.ts adds those. Reads Node's req (raw headers) but never writes to it.

import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { parse_cookie } from "./cookies.js";
import { Headers } from "./headers.js";
import { IdnaError, idnaEncode } from "./idna.js";
import { Authorization, parse_list_header, parse_options_header } from "./http-parse.js";
import { MultiDict } from "./multidict.js";
import { current_url, parseQueryString, percentDecode, requestLineText } from "./urls.js";

/**
 * The WSGI-environ equivalent: the facts of one request, before any parsing. The adapter builds
 * it from Node's request; test contexts build it from arguments; ProxyFix rewrites it.
 */
export interface Environ {
  method: string;
  scheme: string;
  /** Host header value (host[:port]). */
  host: string;
  /** The mount prefix as sent (percent-encoded), "" at the root. Werkzeug's SCRIPT_NAME. */
  script_name: string;
  /** The path below the mount prefix as sent (percent-encoded), starting with "/". */
  raw_path: string;
  /** The query string as sent, without "?". */
  query_string: string;
  headers: IncomingHttpHeaders;
  remote_addr: string | undefined;
  /** The Node request, when there is one (absent in test contexts). */
  node?: IncomingMessage;
  /** A body given up front (test contexts, or a host stack that buffered it). */
  body?: Buffer;
  /** What ProxyFix replaced (Werkzeug's `werkzeug.proxy_fix.orig`). */
  proxy_fix_orig?: { remote_addr: string | undefined; scheme: string; host: string; script_name: string };
}

/**
 * The User-Agent header as an object, like Werkzeug's UserAgent (`.string`).
 *
 * @example
 * String(request.user_agent);   // "Mozilla/5.0 ..."
 * request.user_agent.string.includes("Firefox");
 */
export class UserAgent {
  readonly string: string;
  constructor(value: string) {
    this.string = value;
  }
  toString(): string {
    return this.string;
  }
}

const HOST_RE = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/i;

/**
 * The host the client asked for, without the scheme's default port; "" when the Host value
 * has characters no host name can have (Werkzeug 3.1's get_host).
 *
 * @example
 * get_host({ ...environ, scheme: "http", host: "example.com:80" });   // "example.com"
 */
export function get_host(environ: Pick<Environ, "host" | "scheme">): string {
  const host = requestedHost(environ);
  return HOST_RE.test(host) ? host : "";
}

/** The Host value without the scheme's default port, not validated (what error messages quote). */
export function requestedHost(environ: Pick<Environ, "host" | "scheme">): string {
  const { host, scheme } = environ;
  if ((scheme === "http" || scheme === "ws") && host.endsWith(":80")) return host.slice(0, -3);
  if ((scheme === "https" || scheme === "wss") && host.endsWith(":443")) return host.slice(0, -4);
  return host;
}

/**
 * Whether `host` (a request's get_host()) is one of `trusted` (Werkzeug's host_is_trusted):
 * names compared without the port, ".example.org" also matching its subdomains, non-ASCII
 * names IDNA-encoded. An empty or malformed host is never trusted; no list trusts every host.
 *
 * @example
 * host_is_trusted("a.example.org:8080", [".example.org"]);   // true
 * host_is_trusted("evil.com", ["example.com"]);              // false
 */
export function host_is_trusted(host: string, trusted: readonly string[] | string | null | undefined): boolean {
  if (!host || !HOST_RE.test(host)) return false;
  if (!trusted || trusted.length === 0) return true;
  const name = host.split(":", 1)[0]!;
  for (const ref of typeof trusted === "string" ? [trustedRef(trusted)] : trustedRefs(trusted)) {
    if (ref === null) return false; // not encodable: Werkzeug stops there
    if (ref.name === name || (ref.suffix && name.endsWith(`.${ref.name}`))) return true;
  }
  return false;
}

/** A TRUSTED_HOSTS entry encoded (null when it cannot be). */
type TrustedRef = { readonly name: string; readonly suffix: boolean } | null;

function trustedRef(entry: string): TrustedRef {
  const suffix = entry.startsWith(".");
  try {
    return { name: idnaEncode((suffix ? entry.slice(1) : entry).split(":", 1)[0]!), suffix };
  } catch (error) {
    if (error instanceof IdnaError) return null;
    throw error;
  }
}

// A list (TRUSTED_HOSTS) is encoded once, not on every request; a list changed in place to
// another length is encoded again.
const encodedLists = new WeakMap<readonly string[], TrustedRef[]>();

function trustedRefs(list: readonly string[]): TrustedRef[] {
  let refs = encodedLists.get(list);
  if (refs === undefined || refs.length !== list.length) encodedLists.set(list, (refs = list.map(trustedRef)));
  return refs;
}

/** "/" + the path without its leading slashes, as Werkzeug's Request.path; the common case allocates nothing. */
function leadingSlashOnce(path: string): string {
  if (path.charCodeAt(0) === 47 && path.charCodeAt(1) !== 47) return path;
  let i = 0;
  while (path.charCodeAt(i) === 47) i++;
  return `/${path.slice(i)}`;
}

/**
 * The body-free part of a request (Werkzeug's `werkzeug.sansio.request.Request`). Views use
 * {@link Request}, which adds the body, routing info and Flask's limits.
 *
 * @example
 * const r = new SansioRequest(environ);
 * r.args.get("q"); r.headers.get("Accept"); r.host;
 */
export class SansioRequest {
  readonly environ: Environ;
  #path: string | undefined;
  #args: MultiDict | undefined;
  #headers: Headers | undefined;
  #cookies: MultiDict | undefined;

  constructor(environ: Environ) {
    this.environ = environ;
  }

  /** The HTTP method, uppercase. */
  get method(): string {
    return this.environ.method;
  }

  /** The path below the mount point, percent-decoded, starting with exactly one "/" (`//a` is `/a`, as in Werkzeug). */
  get path(): string {
    return (this.#path ??= leadingSlashOnce(percentDecode(this.environ.raw_path)));
  }

  /** Path plus "?" and the raw query string (the "?" is always there, as in Werkzeug). */
  get full_path(): string {
    return `${this.path}?${requestLineText(this.environ.query_string)}`;
  }

  /** The mount prefix, decoded, without a trailing slash (Express's `baseUrl`). */
  get script_root(): string {
    return percentDecode(this.environ.script_name).replace(/\/+$/, "");
  }

  /** Alias Werkzeug also offers. */
  get root_path(): string {
    return this.script_root;
  }

  /**
   * The URL scheme, "http" or "https" (Werkzeug's `scheme`).
   *
   * @example
   * if (request.scheme !== "https") return redirect(request.url.replace(/^http:/, "https:"), 301);
   */
  get scheme(): string {
    return this.environ.scheme;
  }

  /** True for https (and wss). */
  get is_secure(): boolean {
    return this.environ.scheme === "https" || this.environ.scheme === "wss";
  }

  /**
   * The host the client asked for, without the scheme's default port; "" when the Host value
   * has characters no host name can have (Werkzeug 3.1's get_host).
   */
  get host(): string {
    return get_host(this.environ);
  }

  // The URL properties are IRIs, as in Werkzeug: escapes of UTF-8 text are shown decoded
  // (`/user/ä`, not `/user/%C3%A4`), the host lower-cased and decoded from Punycode.

  /** "http://host/" */
  get host_url(): string {
    return current_url(this.scheme, this.host);
  }

  /** "http://host/mount/" (Werkzeug's root_url). */
  get url_root(): string {
    return current_url(this.scheme, this.host, this.script_root);
  }

  /** Alias Werkzeug also offers. */
  get root_url(): string {
    return this.url_root;
  }

  /** The URL without the query string. */
  get base_url(): string {
    return current_url(this.scheme, this.host, this.script_root, this.path);
  }

  /** The full URL, query string included. */
  get url(): string {
    return current_url(this.scheme, this.host, this.script_root, this.path, this.environ.query_string);
  }

  /** The raw query string bytes as text. */
  get query_string(): string {
    return this.environ.query_string;
  }

  /** URL query arguments: `+` is a space, escapes that are not UTF-8 stay as `%XX` (Werkzeug). */
  get args(): MultiDict {
    return (this.#args ??= new MultiDict(parseQueryString(this.environ.query_string), true));
  }

  /** The request headers; lookups are case-insensitive. */
  get headers(): Headers {
    if (this.#headers === undefined) {
      const node = this.environ.node;
      const headers = new Headers();
      // The raw list keeps the client's spelling and order, unless middleware (ProxyFix) changed the headers.
      if (node !== undefined && node.headers === this.environ.headers && node.rawHeaders.length) {
        const raw = node.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.add(raw[i]!, raw[i + 1]!);
      } else {
        for (const [k, v] of Object.entries(this.environ.headers)) {
          if (Array.isArray(v)) for (const item of v) headers.add(k, item);
          else if (v !== undefined) headers.add(k, v);
        }
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /**
   * Cookies sent with the request, parsed from the Cookie header as Werkzeug parses it, whether
   * or not cookie-parser ran upstream. A cookie-parser signed cookie appears here as sent
   * (`s:value.signature`); its verified value is in {@link signed_cookies}.
   */
  get cookies(): MultiDict {
    return (this.#cookies ??= new MultiDict(parse_cookie(this.environ.headers.cookie), true));
  }

  /**
   * Signed cookies that cookie-parser (mounted upstream with a secret) verified, by name, with
   * their unsigned values; cookies whose signature failed are left out. Empty without it.
   *
   * @example
   * server.use(cookieParser("secret"));
   * request.signed_cookies.get("remember");   // the value cookie-parser verified
   */
  get signed_cookies(): MultiDict {
    const signed = (this.environ.node as { signedCookies?: Record<string, unknown> } | undefined)?.signedCookies ?? {};
    const pairs: [string, string][] = [];
    for (const [key, value] of Object.entries(signed)) {
      if (value !== false && value !== undefined) pairs.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
    }
    return new MultiDict(pairs, true);
  }

  /** The client address (after ProxyFix, the one the trusted proxies saw). */
  get remote_addr(): string | undefined {
    return this.environ.remote_addr;
  }

  /** Every address from X-Forwarded-For (client first), else [remote_addr]. Not trustworthy without ProxyFix. */
  get access_route(): string[] {
    const forwarded = this.environ.headers["x-forwarded-for"];
    if (forwarded !== undefined) return parse_list_header(Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
    return this.remote_addr === undefined ? [] : [this.remote_addr];
  }

  /**
   * The User-Agent header as a {@link UserAgent} (Werkzeug's `user_agent`; no browser parsing, as in Werkzeug 3).
   *
   * @example
   * if (request.user_agent.string.includes("curl")) return jsonify(data);
   */
  get user_agent(): UserAgent {
    return new UserAgent(this.environ.headers["user-agent"] ?? "");
  }

  /** The Authorization header, parsed; null when absent or undecodable. */
  get authorization(): Authorization | null {
    return Authorization.from_header(this.environ.headers.authorization);
  }

  /** The Content-Type header as sent. */
  get content_type(): string | undefined {
    return this.environ.headers["content-type"];
  }

  /** The content type without parameters, lowercased. */
  get mimetype(): string {
    return parse_options_header(this.content_type)[0].toLowerCase();
  }

  /** The content type's parameters, names lowercased ({ charset: "utf-8", boundary: "..." }). */
  get mimetype_params(): Record<string, string> {
    return parse_options_header(this.content_type)[1];
  }

  /** Content-Length as a number; null when absent, invalid, or the body is chunked. */
  get content_length(): number | null {
    const headers = this.environ.headers;
    if (headers["transfer-encoding"] !== undefined) return null;
    const value = headers["content-length"]?.trim();
    if (value === undefined || !/^\d+$/.test(value)) return null;
    return Number(value);
  }

  /** True for application/json and application/*+json. */
  get is_json(): boolean {
    const mt = this.mimetype;
    return mt === "application/json" || (mt.startsWith("application/") && mt.endsWith("+json"));
  }
}
