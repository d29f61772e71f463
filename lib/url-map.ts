// The URL map (Werkzeug's Map plus the parts of MapAdapter a mounted app needs): holds the
// rules and converters, and is the one boundary that turns the matcher's internal signals into
// HTTP exceptions (NotFound, MethodNotAllowed, RequestRedirect) and failed builds into
// BuildError. Paths in and out are relative to the mount point; no request objects, no IO.

import { DEFAULT_CONVERTERS, type ConverterClass } from "./converters.js";
import { HTTPException, MethodNotAllowed, NotFound, RequestRedirect } from "./http-exceptions.js";
import { MatchSignal, RequestAliasRedirect, RequestPath, StateMachineMatcher, type MatchResult, type NoMatch } from "./matcher.js";
import type { Rule } from "./rule.js";
import { get_host, type Environ, type SansioRequest } from "./sansio-request.js";
import { bindMap, normalizeServerName, subdomainOf, type BindOptions, type MapAdapter } from "./url-adapter.js";
import { BuildError, buildDomain, buildRule } from "./url-build.js";
import { PATH_SAFE, quote } from "./urls.js";

/** Map-wide defaults (Werkzeug's `Map` keyword arguments). */
export interface UrlMapOptions {
  strict_slashes?: boolean;
  /** Rules match on the request's host (their `host` option) instead of its subdomain. */
  host_matching?: boolean;
  /** The subdomain of rules that name none (Werkzeug's default: ""). */
  default_subdomain?: string;
  merge_slashes?: boolean;
  redirect_defaults?: boolean;
  converters?: Record<string, ConverterClass>;
}

/** Options of {@link UrlMap.build}. */
export interface BuildOptions {
  method?: string;
  append_unknown?: boolean;
}

const SIMPLE_RULE_RE = /<([^>]+)>/g;
const HAS_SCHEME = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|\/\/)/;

// Frozen intrinsics (SES lockdown, --frozen-intrinsics) make the limit read-only: stacks are kept.
const STACK_LIMIT_WRITABLE = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit")?.writable === true;

/** What makes a request's adapter (the app), for a redirect_to function. */
interface AdapterMaker {
  create_url_adapter(request: SansioRequest | null): MapAdapter | null;
}

/** Makes a routing exception without capturing a stack trace (see _resolve). */
function routingError<E extends HTTPException>(make: () => E): E {
  if (!STACK_LIMIT_WRITABLE) return make();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

// Methods arrive uppercase from Node's parser; test contexts may give any case.
function upperMethod(method: string): string {
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c >= 97 && c <= 122) return method.toUpperCase();
  }
  return method;
}

/**
 * All URL rules of an application (Werkzeug's `Map`, bound to the current request on each
 * call). Rules are compiled when added; matching walks a state machine, not the rule list.
 *
 * @example
 * const map = new UrlMap();
 * map.add(new Rule("/user/<username>", { endpoint: "profile", methods: ["GET"] }));
 * map.match("/user/ann", "GET"); // { rule, args: { username: "ann" } }
 * map.build("profile", { username: "John Doe" }); // "/user/John%20Doe"
 */
export class UrlMap {
  /** Converter classes by name; register custom ones here before adding rules that use them. */
  converters: Record<string, ConverterClass>;
  strict_slashes: boolean;
  redirect_defaults: boolean;
  /**
   * Rules match on the host (`host: "<name>.example.org"`) instead of the subdomain; set it
   * before adding rules (Flask's `host_matching` option does).
   */
  host_matching: boolean;
  /** The subdomain of rules that give none; set it before adding rules. */
  default_subdomain: string;
  readonly #matcher: StateMachineMatcher;
  readonly #rulesByEndpoint = new Map<string, Rule[]>();

  constructor(opts: UrlMapOptions = {}) {
    this.strict_slashes = opts.strict_slashes ?? true;
    this.redirect_defaults = opts.redirect_defaults ?? true;
    this.host_matching = opts.host_matching ?? false;
    this.default_subdomain = opts.default_subdomain ?? "";
    this.#matcher = new StateMachineMatcher(opts.merge_slashes ?? true);
    this.converters = { ...DEFAULT_CONVERTERS, ...opts.converters };
  }

  /**
   * Whether rules merge repeated slashes and requests with them redirect to the merged URL (Werkzeug's default: true).
   *
   * @example
   * const map = new UrlMap(); map.merge_slashes = false;   // before adding rules: each rule takes it when bound
   * map.add(new Rule("/a/b", { endpoint: "ab" })); map.match("/a//b", "GET");   // NotFound, not a redirect to /a/b
   */
  get merge_slashes(): boolean {
    return this.#matcher.merge_slashes;
  }

  set merge_slashes(value: boolean) {
    this.#matcher.merge_slashes = value;
  }

  /**
   * The map bound to a server name (Werkzeug's `Map.bind`): matches on its subdomain, and
   * builds URLs relative to it or external.
   *
   * @example
   * app.url_map.bind("example.com", { url_scheme: "https" }).build("index", {}, { force_external: true });   // "https://example.com/"
   */
  bind(server_name: string, options: BindOptions = {}): MapAdapter {
    return bindMap(this, server_name, options);
  }

  /**
   * The map bound to a request's host (Werkzeug's `Map.bind_to_environ`). With a `server_name`
   * and no `subdomain`, the subdomain is the part of the host before the server name
   * ("<invalid>" when the host is not under it, so no subdomain rule matches).
   *
   * @example
   * app.url_map.bind_to_environ(request.environ, { server_name: "example.com" }).subdomain;   // "alice" for Host alice.example.com
   */
  bind_to_environ(environ: Environ | { environ: Environ }, options: { server_name?: string; subdomain?: string } = {}): MapAdapter {
    const env = "environ" in environ ? environ.environ : environ;
    const requested = get_host(env).toLowerCase();
    const server_name = options.server_name === undefined ? requested : normalizeServerName(options.server_name, env.scheme);
    let subdomain = options.subdomain;
    if (subdomain === undefined && !this.host_matching) subdomain = subdomainOf(requested, server_name);
    return bindMap(this, server_name, { script_name: env.script_name || "/", ...(subdomain !== undefined && { subdomain }), url_scheme: env.scheme });
  }

  /**
   * Binds and compiles `rule` (throwing on an unknown converter) and makes it matchable.
   *
   * @example
   * app.url_map.add(new Rule("/about", { endpoint: "about" }));
   * app.endpoint("about", () => "About us");
   */
  add(rule: Rule): void {
    rule.bind(this);
    if (!rule.build_only) this.#matcher.add(rule);
    let rules = this.#rulesByEndpoint.get(rule.endpoint);
    if (rules === undefined) this.#rulesByEndpoint.set(rule.endpoint, (rules = []));
    rule._endpoint_rules = rules;
    // Kept sorted for building, stable like Werkzeug's sort by build_compare_key.
    const key = rule.build_compare_key();
    let at = rules.length;
    while (at > 0 && compareKeys((rules[at - 1] as Rule).build_compare_key(), key) > 0) at--;
    rules.splice(at, 0, rule);
  }

  /**
   * The rules, all or those of one endpoint, in build order within an endpoint.
   *
   * @example
   * for (const rule of app.url_map.iter_rules()) console.log(rule.endpoint, rule.rule, [...(rule.methods ?? [])]);
   * app.url_map.iter_rules("static");   // the static route, when the app has a static folder
   */
  iter_rules(endpoint?: string): Rule[] {
    if (endpoint !== undefined) return [...(this.#rulesByEndpoint.get(endpoint) ?? [])];
    return [...this.#rulesByEndpoint.values()].flat();
  }

  /**
   * Matches a percent-decoded path (relative to the mount point) and method, on `domain`: the
   * subdomain ("" for none), or the host with host matching. Throws NotFound, MethodNotAllowed,
   * or RequestRedirect whose `new_url` is relative to the mount point and carries `query_string`
   * (bind() gives an adapter whose redirects are absolute URLs).
   *
   * @example
   * const { rule, args } = app.url_map.match("/post/42", "GET");   // args: { post_id: 42 }
   * app.url_map.match("/post/42", "DELETE");   // throws MethodNotAllowed (valid_methods: GET, HEAD, OPTIONS)
   * app.url_map.match("/", "GET", "", "alice");   // a rule with subdomain: "<user>" gives { user: "alice" }
   */
  match(path: string, method: string, query_string = "", domain = this.default_subdomain): MatchResult {
    const matched = this._resolve(path, method, query_string, domain);
    if (matched instanceof HTTPException) {
      // Thrown to a caller of the map: its stack shows where match() was called.
      Error.captureStackTrace(matched, this.match);
      throw matched;
    }
    return matched;
  }

  /**
   * match() for the request pipeline: the HTTP exception match() would throw is returned, and
   * made without a stack trace (it would only show the router). A mounted app sees every URL
   * of its host stack, so most of its requests may be a NotFound: throwing one and capturing
   * its stack cost several times a whole match.
   */
  _resolve(path: string, method: string, query_string = "", domain = this.default_subdomain, app?: AdapterMaker, request?: SansioRequest): MatchResult | HTTPException {
    const upper = upperMethod(method);
    const pathPart = path.charCodeAt(0) === 47 && path.charCodeAt(1) !== 47 ? path : path ? `/${path.replace(/^\/+/, "")}` : "";
    const matched = this.#matcher.match(domain, pathPart, upper, false);
    if (matched instanceof MatchSignal) return this.#signalError(matched, upper, query_string);
    const { rule, args } = matched;
    // Only an endpoint with several rules can have one that supplies these values as defaults.
    if (this.redirect_defaults && rule._endpoint_rules !== undefined && rule._endpoint_rules.length > 1) {
      const url = this.#defaultRedirect(rule, upper, args);
      if (url !== null) return routingError(() => new RequestRedirect(redirectUrl(url, query_string)));
    }
    if (rule.redirect_to !== undefined) {
      const target =
        typeof rule.redirect_to === "string"
          ? rule.redirect_to.replace(SIMPLE_RULE_RE, (_, name: string) => {
              const converter = rule._converters.get(name);
              if (converter === undefined) throw new Error(`redirect_to '${rule.redirect_to}' of rule '${rule.rule}' names <${name}>, which is not a variable of the rule.`);
              return converter.to_url(args[name]);
            })
          : // Werkzeug's redirect_to(adapter, **values): the request's server, scheme and domain, bound
            // at the mount point, so what it builds is relative to the mount point, as targets are.
            rule.redirect_to(this.#redirectAdapter(domain, app?.create_url_adapter(request ?? null) ?? null), args);
      return routingError(() => new RequestRedirect(joinRedirect(target)));
    }
    return matched;
  }

  // The adapter a redirect_to function gets: the request's, at the mount point.
  #redirectAdapter(domain: string, request: MapAdapter | null): MapAdapter {
    if (request === null) return bindMap(this, this.host_matching ? domain : "", this.host_matching ? {} : { subdomain: domain });
    const where = { script_name: "/", url_scheme: request.url_scheme };
    return bindMap(this, request.server_name, this.host_matching ? where : { ...where, subdomain: domain });
  }

  // The HTTP exception for a path that did not match as it was given.
  #signalError(signal: MatchSignal, method: string, query_string: string): HTTPException {
    if (signal instanceof RequestPath) return routingError(() => new RequestRedirect(redirectUrl(quote(signal.pathInfo, PATH_SAFE), query_string)));
    if (signal instanceof RequestAliasRedirect) {
      const url = this.build(signal.endpoint, signal.matchedValues, { method, append_unknown: false });
      return routingError(() => new RequestRedirect(query_string ? `${url}?${query_string}` : url));
    }
    const { haveMatchFor } = signal as NoMatch;
    if (haveMatchFor.size > 0) return routingError(() => new MethodNotAllowed([...haveMatchFor].sort()));
    // A WebSocket-only rule is not reachable over plain HTTP: nothing is found here.
    return routingError(() => new NotFound());
  }

  /**
   * The methods the path accepts, for an automatic OPTIONS answer (empty when none apply).
   *
   * @example
   * app.url_map.allowed_methods("/post/42");   // ["GET", "HEAD", "OPTIONS"]
   */
  allowed_methods(path: string, domain = this.default_subdomain): string[] {
    const matched = this._resolve(path, "--", "", domain);
    return matched instanceof MethodNotAllowed ? matched.valid_methods ?? [] : [];
  }

  /**
   * Builds the URL (path relative to the mount point, plus "?query" for values no rule part
   * uses) for an endpoint. null/undefined values are dropped. Throws BuildError.
   *
   * @example
   * app.url_map.build("show_post", { post_id: 42, sort: "new" });   // "/post/42?sort=new"
   * app.url_map.build("show_post", { post_id: 42 }, { method: "POST" });   // BuildError unless a POST rule exists
   */
  build(endpoint: string, values: Record<string, unknown> = {}, opts: BuildOptions = {}): string {
    return this._build(endpoint, values, opts).path;
  }

  /** build() with the domain part of the rule it built (its subdomain, or its host with host matching). */
  _build(endpoint: string, values: Record<string, unknown>, opts: BuildOptions = {}): { domain: string; path: string } {
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined) given[key] = value;
    const appendUnknown = opts.append_unknown ?? true;
    // Without an explicit method, GET rules win, as in Werkzeug's default_method.
    const built =
      (opts.method === undefined ? this.#partialBuild(endpoint, given, "GET", appendUnknown) : null) ??
      this.#partialBuild(endpoint, given, opts.method, appendUnknown);
    if (built === null) throw new BuildError(endpoint, given, opts.method, this.iter_rules());
    return { domain: built.domain, path: `/${built.path.replace(/^\/+/, "")}` };
  }

  #partialBuild(endpoint: string, values: Record<string, unknown>, method: string | undefined, appendUnknown: boolean): { domain: string; path: string } | null {
    for (const rule of this.#rulesByEndpoint.get(endpoint) ?? []) {
      if (!rule.suitable_for(values, method)) continue;
      const domain = buildDomain(rule, values);
      const path = domain === null ? null : buildRule(rule, values, appendUnknown);
      if (path !== null) return { domain: domain!, path };
    }
    return null;
  }

  // A rule of the same endpoint that supplies these values as defaults is the canonical URL.
  #defaultRedirect(rule: Rule, method: string, values: Record<string, unknown>): string | null {
    for (const other of rule._endpoint_rules ?? []) {
      if (other === rule) break;
      if (other.provides_defaults_for(rule) && other.suitable_for(values, method)) {
        Object.assign(values, other.defaults);
        return buildRule(other, values);
      }
    }
    return null;
  }
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function redirectUrl(path: string, query: string): string {
  const url = `/${path.replace(/^\/+/, "")}`;
  return query ? `${url}?${query}` : url;
}

// Werkzeug joins redirect_to against the application root: relative targets resolve from "/",
// absolute URLs pass through unchanged.
function joinRedirect(target: string): string {
  if (HAS_SCHEME.test(target)) return target;
  const cut = target.search(/[?#]/);
  const rawPath = cut === -1 ? target : target.slice(0, cut);
  const tail = cut === -1 ? "" : target.slice(cut);
  const input = rawPath.startsWith("/") ? rawPath : `/${rawPath}`;
  const out: string[] = [];
  const segments = input.split("/").slice(1);
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "..") {
      out.pop();
      if (last) out.push("");
    } else if (segment === ".") {
      if (last) out.push("");
    } else out.push(segment);
  });
  return `/${out.join("/")}${tail}`;
}
