// The building side of routing (Werkzeug's Rule._compile_builder, Rule.build and BuildError):
// turning a rule plus values into a URL path and query string with Werkzeug's exact quoting,
// and explaining a failed build the way Werkzeug does. Choosing which rule to build is UrlMap's.

import { ValidationError, type BaseConverter } from "./converters.js";
import type { Rule } from "./rule.js";
import { sequenceRatio } from "./difflib.js";
import { pyRepr } from "./py-text.js";
import { PATH_SAFE, quote, urlencode } from "./urls.js";

type BuildOp = string | { readonly name: string; readonly converter: BaseConverter };

/** A rule's precompiled builder: constant pieces and converter slots, and the names it consumes. */
export interface RuleBuilder {
  /** The domain part (subdomain, or host with host matching). */
  readonly domain: readonly BuildOp[];
  /** The path. */
  readonly ops: readonly BuildOp[];
  /** Variables and default keys; any other value goes to the query string. */
  readonly known: ReadonlySet<string>;
}

/** Precompiles how `rule` is built; called when the rule is compiled. */
export function compileBuilder(rule: Rule): RuleBuilder {
  const defaults = rule.defaults ?? {};
  const domain: BuildOp[] = [];
  const path: BuildOp[] = [];
  const known = new Set(Object.keys(defaults));
  // The trace is the domain's pieces, "|", then the path's.
  let ops = domain;
  for (const [dynamic, data] of rule._trace) {
    if (ops === domain && data === "|" && !dynamic) {
      ops = path;
      continue;
    }
    const converter = dynamic ? (rule._converters.get(data) as BaseConverter) : undefined;
    let piece: BuildOp;
    if (converter === undefined) piece = quote(data, PATH_SAFE);
    // A default for a variable of the rule itself is fixed when the rule is compiled.
    else if (Object.hasOwn(defaults, data)) piece = converter.to_url(defaults[data]);
    else {
      known.add(data);
      ops.push({ name: data, converter });
      continue;
    }
    const last = ops[ops.length - 1];
    if (typeof last === "string") ops[ops.length - 1] = last + piece;
    else ops.push(piece);
  }
  return { domain, ops: path, known };
}

function runOps(ops: readonly BuildOp[], values: Record<string, unknown>): string {
  let text = "";
  for (const op of ops) text += typeof op === "string" ? op : op.converter.to_url(values[op.name]);
  return text;
}

/**
 * The domain part of `rule` built with `values`: its subdomain ("" for none), or its host with
 * host matching. null when a converter's to_url throws ValidationError.
 *
 * @example
 * buildDomain(rule, { user: "bob" }) // "bob" for a rule with subdomain: "<user>"
 */
export function buildDomain(rule: Rule, values: Record<string, unknown>): string | null {
  const builder = rule._builder;
  if (builder === undefined) throw new Error(`URL rule '${rule.rule}' is not bound to a map; add it with url_map.add(rule).`);
  try {
    return runOps(builder.domain, values);
  } catch (error) {
    if (error instanceof ValidationError) return null;
    throw error;
  }
}

/**
 * Builds `rule` with `values` (null/undefined already removed): the path, plus "?query" for
 * values the rule does not use when `appendUnknown`. Returns null when a converter's to_url
 * throws ValidationError, so the caller can try the next rule.
 *
 * @example
 * buildRule(rule, { username: "John Doe", tab: "posts" }) // "/user/John%20Doe?tab=posts"
 */
export function buildRule(rule: Rule, values: Record<string, unknown>, appendUnknown = true): string | null {
  const builder = rule._builder;
  if (builder === undefined) throw new Error(`URL rule '${rule.rule}' is not bound to a map; add it with url_map.add(rule).`);
  let url: string;
  try {
    url = runOps(builder.ops, values);
  } catch (error) {
    if (error instanceof ValidationError) return null;
    throw error;
  }
  if (!appendUnknown) return url;
  const items: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    if (builder.known.has(key)) continue;
    if (Array.isArray(value) || value instanceof Set) for (const v of value) items.push([key, v]);
    else items.push([key, value]);
  }
  if (items.length === 0) return url;
  const query = urlencode(items);
  return query ? `${url}?${query}` : url;
}

/**
 * No rule of the endpoint could be built with the given values and method. The message names
 * what is missing, or the closest endpoint, as Werkzeug's does.
 *
 * @example
 * try { url_for("indx") } catch (e) { e.message }
 * // "Could not build url for endpoint 'indx'. Did you mean 'index' instead?"
 */
export class BuildError extends Error {
  readonly endpoint: string;
  readonly values: Record<string, unknown>;
  readonly method: string | undefined;
  /** The endpoint of the closest rule, if the map has any rule. */
  readonly suggested?: string;

  constructor(endpoint: string, values: Record<string, unknown>, method: string | undefined, rules: readonly Rule[] = []) {
    super();
    this.name = "BuildError";
    this.endpoint = endpoint;
    this.values = values;
    this.method = method;
    const closest = closestRule(endpoint, values, method, rules);
    if (closest !== undefined) this.suggested = closest.endpoint;
    this.message = describe(this, closest);
  }
}

function closestRule(endpoint: string, values: Record<string, unknown>, method: string | undefined, rules: readonly Rule[]): Rule | undefined {
  let best: Rule | undefined;
  let bestScore = -Infinity;
  const keys = Object.keys(values);
  for (const rule of rules) {
    const score =
      0.98 * sequenceRatio(rule.endpoint, endpoint) +
      0.01 * Number(keys.every((k) => rule.arguments.has(k))) +
      0.01 * Number(rule.methods !== null && rule.methods.size > 0 && method !== undefined && rule.methods.has(method));
    // Strictly greater: Python's max() keeps the first of equal scores.
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

function describe(error: BuildError, suggested: Rule | undefined): string {
  let message = `Could not build url for endpoint ${pyRepr(error.endpoint)}`;
  if (error.method) message += ` (${pyRepr(error.method)})`;
  const keys = Object.keys(error.values).sort();
  if (keys.length > 0) message += ` with values ${pyRepr(keys)}`;
  message += ".";
  if (suggested === undefined) return message;
  if (suggested.endpoint !== error.endpoint) return `${message} Did you mean ${pyRepr(suggested.endpoint)} instead?`;
  if (error.method && suggested.methods !== null && !suggested.methods.has(error.method)) {
    message += ` Did you mean to use methods ${pyRepr([...suggested.methods].sort())}?`;
  }
  const missing = [...new Set([...suggested.arguments, ...Object.keys(suggested.defaults ?? {})])].filter((k) => !Object.hasOwn(error.values, k));
  if (missing.length > 0) message += ` Did you forget to specify values ${pyRepr(missing.sort())}?`;
  return message;
}
