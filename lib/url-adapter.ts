// A URL map bound to where it is served (Werkzeug's MapAdapter): a server name, a mount point,
// a scheme and, with subdomain matching, the current subdomain. It gives the domain part rules
// match on, makes a redirect's URL absolute, and builds URLs relative to the current host or,
// for a rule of another subdomain or host, external. url-map.ts does the matching and building;
// this is only where they are.

import { BadHost, HTTPException, RequestRedirect } from "./http-exceptions.js";
import { IdnaError, idnaEncode } from "./idna.js";
import type { MatchResult } from "./matcher.js";
import { requestedHost } from "./sansio-request.js";
import type { UrlMap, BuildOptions } from "./url-map.js";

/** Options of {@link UrlMap.bind}. */
export interface BindOptions {
  /** The mount point URLs are built under ("/" when none). */
  script_name?: string;
  /** The current subdomain; defaults to the map's default_subdomain. Not with host matching. */
  subdomain?: string;
  url_scheme?: string;
}

/** Options of {@link MapAdapter.build}. */
export interface AdapterBuildOptions extends BuildOptions {
  /** An absolute URL even when the rule is on the current host. */
  force_external?: boolean;
  /** The scheme of an external URL (default: the adapter's). */
  url_scheme?: string;
}

/** The subdomain Werkzeug sets when the request's host is not under the server name: no rule of a named subdomain matches it. */
export const INVALID_SUBDOMAIN = "<invalid>";

/** "Example.COM:80" for http -> "example.com": what Werkzeug compares server names as. */
export function normalizeServerName(name: string, scheme: string): string {
  return requestedHost({ host: name.toLowerCase(), scheme });
}

/**
 * The subdomain of `host` under `server_name` ("staging.dev" for "staging.dev.example.com"
 * under "example.com"), or {@link INVALID_SUBDOMAIN} when the host is not under it.
 *
 * @example
 * subdomainOf("alice.example.com", "example.com");   // "alice"
 * subdomainOf("other.org", "example.com");           // "<invalid>"
 */
export function subdomainOf(host: string, server_name: string): string {
  const labels = host.split(".");
  const server = server_name.split(".");
  const offset = labels.length - server.length;
  if (offset < 0 || labels.slice(offset).join(".") !== server_name) return INVALID_SUBDOMAIN;
  return labels.slice(0, offset).filter(Boolean).join(".");
}

/**
 * A {@link UrlMap} bound to a server name: what `app.create_url_adapter()` and
 * `url_map.bind()` give.
 *
 * @example
 * const adapter = app.url_map.bind("example.com", { subdomain: "api" });
 * adapter.match("/status", "GET");                 // a rule with subdomain: "api"
 * adapter.build("user_home", { user: "bob" });     // "http://bob.example.com/" (another subdomain)
 * adapter.build("api_status");                     // "/status" (this one)
 */
export class MapAdapter {
  readonly map: UrlMap;
  /** Lower-case, IDNA-encoded, with its port when it is not the scheme's default. */
  readonly server_name: string;
  /** The mount point, without a trailing slash ("" at the root). */
  readonly script_name: string;
  /** The current subdomain ("" for none); unused with host matching. */
  readonly subdomain: string;
  readonly url_scheme: string;

  constructor(map: UrlMap, server_name: string, script_name: string, subdomain: string, url_scheme: string) {
    this.map = map;
    this.server_name = server_name;
    this.script_name = script_name.replace(/\/+$/, "");
    this.subdomain = subdomain;
    this.url_scheme = url_scheme;
  }

  /** The domain part rules are matched on: the server name with host matching, else the subdomain. */
  get domain(): string {
    return this.map.host_matching ? this.server_name : this.subdomain;
  }

  /**
   * The host a rule of `domain_part` is served on (the current one for null).
   *
   * @example
   * app.url_map.bind("example.com").get_host("api");   // "api.example.com"
   */
  get_host(domain_part: string | null = null): string {
    if (this.map.host_matching) return domain_part ?? this.server_name;
    const subdomain = domain_part ?? this.subdomain;
    return subdomain ? `${subdomain}.${this.server_name}` : this.server_name;
  }

  /**
   * match() on the adapter's domain; a redirect's `new_url` is an absolute URL on the current host.
   *
   * @example
   * app.url_map.bind("example.com", { subdomain: "api" }).match("/docs", "GET");   // throws RequestRedirect to http://api.example.com/docs/
   */
  match(path: string, method: string, query_string = ""): MatchResult {
    const matched = this._resolve(path, method, query_string);
    if (matched instanceof HTTPException) {
      Error.captureStackTrace(matched, this.match);
      throw matched;
    }
    return matched;
  }

  /** match() returning the routing exception instead of throwing it (the request pipeline's). */
  _resolve(path: string, method: string, query_string = ""): MatchResult | HTTPException {
    const matched = this.map._resolve(path, method, query_string, this.domain);
    if (matched instanceof RequestRedirect) matched.new_url = this.absolute(matched.new_url);
    return matched;
  }

  /**
   * The methods `path` accepts on the adapter's domain (the automatic OPTIONS answer).
   *
   * @example
   * ctx.url_adapter.allowed_methods("/status");   // ["GET", "HEAD", "OPTIONS"]
   */
  allowed_methods(path: string): string[] {
    return this.map.allowed_methods(path, this.domain);
  }

  /**
   * A URL relative to the mount point ("/docs/?x=1") made absolute on the current host; a URL
   * with a scheme is returned as it is.
   */
  absolute(url: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
    return `${this.url_scheme}://${this.get_host()}${this.script_name}${url}`;
  }

  /**
   * The URL of an endpoint: a path under the mount point when its rule is on the current
   * subdomain (or host), else an absolute URL on the rule's own. Throws BuildError.
   *
   * @example
   * adapter.build("index", {}, { force_external: true });   // "http://example.com/"
   */
  build(endpoint: string, values: Record<string, unknown> = {}, opts: AdapterBuildOptions = {}): string {
    const { domain, path } = this.map._build(endpoint, values, opts);
    const host = this.get_host(domain);
    const here = this.map.host_matching ? host === this.server_name : domain === this.subdomain;
    if (!opts.force_external && here) return `${this.script_name}${path}`;
    const scheme = opts.url_scheme ?? this.url_scheme;
    return `${scheme ? `${scheme}:` : ""}//${host}${this.script_name}${path}`;
  }
}

/**
 * Werkzeug's Map.bind: lower-cases and IDNA-encodes the server name (BadHost, a 400, when it
 * cannot be), and checks the subdomain against host matching. An empty server name (a Host
 * that was no host name) is accepted, as Werkzeug does.
 */
export function bindMap(map: UrlMap, server_name: string, options: BindOptions = {}): MapAdapter {
  if (map.host_matching && options.subdomain !== undefined) {
    throw new Error("url_map.bind(): the map matches hosts (host_matching), so a subdomain cannot be given; put the whole host in server_name.");
  }
  const lower = server_name.toLowerCase();
  const colon = lower.lastIndexOf(":");
  const [name, port] = colon === -1 || lower.endsWith("]") ? [lower, ""] : [lower.slice(0, colon), lower.slice(colon)];
  let ascii: string;
  try {
    ascii = idnaEncode(name);
  } catch (error) {
    // Werkzeug's answer to a server name (often a request's Host) that is no host name: a 400.
    if (error instanceof IdnaError) throw new BadHost(`The host name ${JSON.stringify(server_name)} cannot be encoded (${error.reason}).`);
    throw error;
  }
  return new MapAdapter(map, `${ascii}${port}`, options.script_name ?? "/", options.subdomain ?? map.default_subdomain, options.url_scheme ?? "http");
}
