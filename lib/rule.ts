// One URL rule (Werkzeug's routing/rules.py): parsing the rule string and its converter
// arguments, compiling it into weighted parts for the matcher. Matching lives in matcher.ts,
// building in url-build.ts, the types of a rule's view arguments in rule-args.ts.

import type { BaseConverter } from "./converters.js";
import type { MapAdapter } from "./url-adapter.js";
import type { UrlMap } from "./url-map.js";
import { parseConverterArgs, tokenize } from "./rule-syntax.js";
import { compileBuilder, type RuleBuilder } from "./url-build.js";

export { parseConverterArgs } from "./rule-syntax.js";

/**
 * A `redirect_to` function (Werkzeug's `redirect_to(adapter, **values)`): the adapter the URL
 * matched on (bound at the mount point, so what it builds is relative to it), then the URL's
 * values as one object (typed `any`, so a ported function may declare them: `{ id }: { id: number }`).
 * A relative target is resolved from the mount point.
 *
 * @example
 * app.add_url_rule("/old/<int:id>", { endpoint: "old", redirect_to: (adapter, { id }) => adapter.build("show", { id }) });
 */
export type RedirectFunction = (adapter: MapAdapter, values: any) => string;

/** Options of a rule; the names and meanings are Werkzeug's `Rule` keyword arguments. */
export interface RuleOptions {
  endpoint?: string;
  methods?: Iterable<string>;
  defaults?: Record<string, unknown>;
  strict_slashes?: boolean;
  merge_slashes?: boolean;
  /**
   * Where a match redirects instead: a rule-like string ("item/<id>") or, as in Werkzeug, a
   * function called with the map adapter and the URL's values, returning the target.
   */
  redirect_to?: string | RedirectFunction;
  build_only?: boolean;
  subdomain?: string;
  host?: string;
  websocket?: boolean;
  alias?: boolean;
}

/** How a part sorts among the dynamic transitions of a matcher state (smaller wins). */
export interface Weighting {
  readonly numberStatic: number;
  readonly staticWeights: readonly (readonly [number, number])[];
  readonly numberArguments: number;
  readonly argumentWeights: readonly number[];
}

/** A compiled piece of a rule between slashes (several pieces when a converter spans slashes). */
export interface RulePart {
  /** The static text, or the regex source when the part holds variables. */
  readonly content: string;
  readonly final: boolean;
  readonly static: boolean;
  readonly suffixed: boolean;
  readonly weight: Weighting;
  /** Equal keys mean the matcher can share one transition between rules. */
  readonly key: string;
  readonly regex: RegExp | null;
  readonly groups: readonly string[];
  /** The part is one variable and nothing else: its text is the value when `regex` matches. */
  readonly whole: boolean;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

function compilePartRegex(content: string, rule: string): RegExp {
  try {
    return new RegExp(`^${content}`, "u");
  } catch {
    try {
      // A custom converter regex may use escapes that only non-Unicode mode accepts.
      return new RegExp(`^${content}`);
    } catch (error) {
      throw new SyntaxError(`Rule '${rule}' compiles to an invalid regular expression /${content}/: check the converters' regex.`, { cause: error });
    }
  }
}

function makePart(content: string, final: boolean, isStatic: boolean, suffixed: boolean, weight: Weighting, groups: string[], rule: string): RulePart {
  const key = JSON.stringify([content, final, isStatic, suffixed, weight]);
  const regex = isStatic ? null : compilePartRegex(content, rule);
  const whole = !suffixed && groups.length === 1 && weight.numberStatic === 0;
  return { content, final, static: isStatic, suffixed, weight, key, regex, groups, whole };
}

function compareLists<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = compare(a[i] as T, b[i] as T);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
const compareNumbers = (x: number, y: number): number => x - y;

/** Orders parts the way Werkzeug sorts its `Weighting` tuples. */
export function compareWeighting(a: Weighting, b: Weighting): number {
  return (
    a.numberStatic - b.numberStatic ||
    compareLists(a.staticWeights, b.staticWeights, (x, y) => compareLists(x, y, compareNumbers)) ||
    a.numberArguments - b.numberArguments ||
    compareLists(a.argumentWeights, b.argumentWeights, compareNumbers)
  );
}

/**
 * One URL pattern and what it leads to (Werkzeug's `Rule`). Construct it, then `url_map.add(rule)`
 * binds it to a map, instantiates its converters and compiles it.
 *
 * @example
 * const rule = new Rule("/post/<int:post_id>", { endpoint: "show_post", methods: ["GET"] });
 * rule.methods // Set { "GET", "HEAD" }
 */
export class Rule {
  readonly rule: string;
  endpoint: string;
  /** The blueprints owning the endpoint, innermost first: set by Request.blueprints on first use. */
  _blueprints: readonly string[] | undefined;
  methods: Set<string> | null;
  arguments: Set<string>;
  defaults: Record<string, unknown> | undefined;
  strict_slashes: boolean | undefined;
  merge_slashes: boolean | undefined;
  redirect_to: string | RedirectFunction | undefined;
  build_only: boolean;
  subdomain: string | undefined;
  host: string | undefined;
  websocket: boolean;
  alias: boolean;
  is_leaf: boolean;
  is_branch: boolean;
  /** Set by Flask's add_url_rule; the map only carries it. */
  provide_automatic_options?: boolean;
  map?: UrlMap;

  /** Internal (Werkzeug's `_converters`, `_trace`, `_parts`), filled by {@link Rule.bind}. */
  _converters = new Map<string, BaseConverter>();
  /** The variables in rule order, as the matcher converts them (the same converters as `_converters`). */
  _variables: { readonly name: string; readonly converter: BaseConverter }[] = [];
  /** Every rule of this endpoint, in build order, shared by them: set by the map, read by its defaults redirect. */
  _endpoint_rules: readonly Rule[] | undefined;
  _trace: [dynamic: boolean, data: string][] = [];
  _parts: RulePart[] = [];
  _builder: RuleBuilder | undefined;

  constructor(rule: string, options: RuleOptions = {}) {
    if (!rule.startsWith("/")) {
      throw new SyntaxError(`URL rule '${rule}' must start with a slash: write '/${rule}'.`);
    }
    this.rule = rule;
    this.is_leaf = !rule.endsWith("/");
    this.is_branch = rule.endsWith("/");
    this.endpoint = options.endpoint ?? "";
    this.defaults = options.defaults;
    this.strict_slashes = options.strict_slashes;
    this.merge_slashes = options.merge_slashes;
    this.redirect_to = options.redirect_to;
    this.build_only = options.build_only ?? false;
    this.subdomain = options.subdomain;
    this.host = options.host;
    this.websocket = options.websocket ?? false;
    this.alias = options.alias ?? false;
    this.methods = null;
    if (options.methods !== undefined) {
      if (typeof options.methods === "string") {
        throw new TypeError(`'methods' should be a list of strings, e.g. methods: ["${options.methods}"], not a string.`);
      }
      const methods = new Set([...options.methods].map((m) => m.toUpperCase()));
      if (methods.has("GET")) methods.add("HEAD");
      if (this.websocket && [...methods].some((m) => !["GET", "HEAD", "OPTIONS"].includes(m))) {
        throw new TypeError("WebSocket rules can only use 'GET', 'HEAD', and 'OPTIONS' methods.");
      }
      this.methods = methods;
    }
    this.arguments = new Set(Object.keys(options.defaults ?? {}));
    // Syntax is checked now, not at bind time, so the error points at the line that wrote it.
    for (const text of [rule, options.subdomain, options.host]) {
      if (text === undefined) continue;
      const seen = new Set<string>();
      for (const token of tokenize(text)) {
        if (token.kind !== "variable") continue;
        if (seen.has(token.name)) {
          throw new SyntaxError(`URL rule '${text}' uses the variable name '${token.name}' twice; give each variable its own name.`);
        }
        seen.add(token.name);
        if (token.args !== null) parseConverterArgs(token.args);
        this.arguments.add(token.name);
      }
    }
  }

  /**
   * An unbound copy with the same options (Werkzeug's `Rule.empty`).
   *
   * @example
   * other_map.add(app.url_map.iter_rules("index")[0]!.empty());   // the same rule in a second map
   */
  empty(): Rule {
    const copy = new Rule(this.rule, {
      endpoint: this.endpoint,
      build_only: this.build_only,
      websocket: this.websocket,
      alias: this.alias,
      ...(this.defaults && { defaults: { ...this.defaults } }),
      ...(this.methods && { methods: this.methods }),
      ...(this.strict_slashes !== undefined && { strict_slashes: this.strict_slashes }),
      ...(this.redirect_to !== undefined && { redirect_to: this.redirect_to }),
      ...(this.subdomain !== undefined && { subdomain: this.subdomain }),
      ...(this.host !== undefined && { host: this.host }),
    });
    if (this.provide_automatic_options !== undefined) copy.provide_automatic_options = this.provide_automatic_options;
    return copy;
  }

  /**
   * Binds the rule to a map and compiles it; `url_map.add` calls this.
   *
   * @example
   * const rule = new Rule("/about", { endpoint: "about" });
   * rule.bind(map);   // what map.add(rule) does first; a second bind throws unless `rebind`
   */
  bind(map: UrlMap, rebind = false): void {
    if (this.map !== undefined && !rebind) {
      throw new Error(`URL rule '${this.rule}' is already bound to a map; add rule.empty() to bind a copy to another map.`);
    }
    this.map = map;
    this.strict_slashes ??= map.strict_slashes;
    this.merge_slashes ??= map.merge_slashes;
    this.subdomain ??= map.default_subdomain;
    this.compile();
  }

  /**
   * Instantiates the converter a variable names (Werkzeug's `get_converter`).
   *
   * @example
   * rule.get_converter("page", "int", [], { min: 1 });   // an IntegerConverter for <int(min=1):page>
   */
  get_converter(variable: string, converter: string, args: unknown[], kwargs: Record<string, unknown>): BaseConverter {
    const map = this.map as UrlMap;
    const cls = Object.hasOwn(map.converters, converter) ? map.converters[converter] : undefined;
    if (cls === undefined) {
      throw new Error(
        `URL rule '${this.rule}' uses the converter '${converter}' (for '${variable}'), which is not registered. ` +
          `Register a BaseConverter subclass before adding the rule: app.url_map.converters["${converter}"] = MyConverter. ` +
          `Registered converters: ${Object.keys(map.converters).sort().join(", ")}.`,
      );
    }
    if (typeof cls !== "function") {
      throw new TypeError(
        `URL rule '${this.rule}': app.url_map.converters["${converter}"] is not a class. ` +
          `Register a BaseConverter subclass (class MyConverter extends BaseConverter { regex = "..."; to_python(value) {...} }), not an object.`,
      );
    }
    return new cls(map, ...args, ...(Object.keys(kwargs).length > 0 ? [kwargs] : []));
  }

  /**
   * Compiles the rule into matcher parts and a builder; needs a bound map.
   *
   * @example
   * rule.compile();   // after changing a bound rule's options, e.g. strict_slashes
   */
  compile(): void {
    const map = this.map;
    if (map === undefined) throw new Error(`URL rule '${this.rule}' is not bound to a map; add it with url_map.add(rule).`);
    const domain = (map.host_matching ? this.host : this.subdomain) ?? "";
    this._converters = new Map();
    this._variables = [];
    this._trace = [];
    this._parts =
      domain === ""
        ? [makePart("", false, true, false, { numberStatic: 0, staticWeights: [], numberArguments: 0, argumentWeights: [] }, [], this.rule)]
        : this.#parseParts(domain);
    this._trace.push([false, "|"]);
    const rule = this.merge_slashes ? this.rule.replace(/\/{2,}/g, "/") : this.rule;
    this._parts.push(...this.#parseParts(rule));
    this._builder = compileBuilder(this);
  }

  #parseParts(text: string): RulePart[] {
    const parts: RulePart[] = [];
    let content = "";
    let isStatic = true;
    let staticWeights: [number, number][] = [];
    let argumentWeights: number[] = [];
    let groups: string[] = [];
    let final = false;
    const weight = (): Weighting => ({
      numberStatic: -staticWeights.length,
      staticWeights,
      numberArguments: -argumentWeights.length,
      argumentWeights,
    });
    for (const token of tokenize(text)) {
      if (token.kind === "static") {
        staticWeights.push([staticWeights.length, -[...token.text].length]);
        this._trace.push([false, token.text]);
        content += isStatic ? token.text : escapeRegex(token.text);
      } else if (token.kind === "variable") {
        if (isStatic) content = escapeRegex(content);
        isStatic = false;
        const [args, kwargs] = parseConverterArgs(token.args ?? "");
        const converter = this.get_converter(token.name, token.converter ?? "default", args, kwargs);
        this._converters.set(token.name, converter);
        this._variables.push({ name: token.name, converter });
        this.arguments.add(token.name);
        if (!converter.part_isolating) final = true;
        const group = `w${groups.length}`;
        groups.push(group);
        content += `(?<${group}>${converter.regex})`;
        argumentWeights.push(converter.weight);
        this._trace.push([true, token.name]);
      } else {
        this._trace.push([false, "/"]);
        if (final) {
          content += "/";
          continue;
        }
        if (!isStatic) content += "$";
        parts.push(makePart(content, false, isStatic, false, weight(), groups, this.rule));
        content = "";
        isStatic = true;
        staticWeights = [];
        argumentWeights = [];
        groups = [];
      }
    }
    let suffixed = false;
    if (final && content.endsWith("/")) {
      // A slash after a slash-matching converter: match it optionally, so the matcher can
      // still redirect a URL that lacks it.
      suffixed = true;
      content = `${content.slice(0, -1)}(?<!\\/)(?<slash>\\/?)`;
    }
    if (!isStatic) content += "$";
    parts.push(makePart(content, final, isStatic, suffixed, weight(), groups, this.rule));
    if (suffixed) parts.push(makePart("", false, true, false, weight(), [], this.rule));
    return parts;
  }

  /**
   * True when this rule supplies defaults for `rule` (same endpoint and arguments).
   *
   * @example
   * const page1 = new Rule("/users/", { endpoint: "users", defaults: { page: 1 } });
   * const paged = new Rule("/users/page/<int:page>", { endpoint: "users" });
   * map.add(page1); map.add(paged);
   * page1.provides_defaults_for(paged);   // true: "/users/page/1" redirects to "/users/"
   */
  provides_defaults_for(rule: Rule): boolean {
    return Boolean(
      !this.build_only && this.defaults && Object.keys(this.defaults).length > 0 && this.endpoint === rule.endpoint &&
        !this.equals(rule) && setsEqual(this.arguments, rule.arguments),
    );
  }

  /**
   * True when `values` (and `method`, if given) are enough to build this rule.
   *
   * @example
   * new Rule("/user/<name>", { endpoint: "user" }).suitable_for({ name: "ann" });   // true
   * new Rule("/user/<name>", { endpoint: "user" }).suitable_for({});              // false
   */
  suitable_for(values: Record<string, unknown>, method?: string): boolean {
    if (method !== undefined && this.methods !== null && !this.methods.has(method)) return false;
    const defaults = this.defaults ?? {};
    for (const key of this.arguments) {
      if (!Object.hasOwn(defaults, key) && !Object.hasOwn(values, key)) return false;
    }
    for (const [key, value] of Object.entries(defaults)) {
      if (Object.hasOwn(values, key) && !pyEquals(value, values[key])) return false;
    }
    return true;
  }

  /**
   * Sort key among rules of one endpoint when building: non-alias, most arguments, most defaults.
   *
   * @example
   * new Rule("/a/<x>/<y>", { endpoint: "a" }).build_compare_key();   // [0, -2, 0]
   */
  build_compare_key(): [number, number, number] {
    return [this.alias ? 1 : 0, 0 - this.arguments.size, 0 - Object.keys(this.defaults ?? {}).length];
  }

  /**
   * Werkzeug's `Rule.__eq__`: same compiled pattern.
   *
   * @example
   * const a = new Rule("/a/<int:x>", { endpoint: "a" }), b = new Rule("/a/<x>", { endpoint: "b" });
   * map.add(a); map.add(b);
   * a.equals(b);   // true: same parts and variable names (converters and endpoints are not compared)
   */
  equals(other: Rule): boolean {
    return this._trace.length === other._trace.length && this._trace.every(([d, s], i) => other._trace[i]?.[0] === d && other._trace[i]?.[1] === s);
  }

  toString(): string {
    return this.rule;
  }
}

function setsEqual(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Python's `==` for the values defaults hold: True == 1 == 1.0, and lists element-wise. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const numeric = (v: unknown): v is number | boolean => typeof v === "number" || typeof v === "boolean";
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  return a === b;
}
