// The state machine that matches a path against compiled rules (Werkzeug's
// StateMachineMatcher). Rules are split into parts at add() time; static parts become keyed
// transitions and dynamic parts precompiled regexes sorted by weight, so a lookup walks one
// branch per segment instead of scanning every rule. It knows nothing of HTTP: it returns a
// match or one of the internal signals below, which url-map.ts turns into responses.

import { ValidationError } from "./converters.js";
import { compareWeighting, type Rule, type RulePart } from "./rule.js";

// The signals are returned, not thrown: a 404 is common traffic (a mounted app sees every URL
// of its host stack), and throwing costs more than the whole walk.

/** Why a path did not match (one class to test for: a match is tested with one instanceof). */
export abstract class MatchSignal {}

/** No rule matched; `haveMatchFor` holds the methods rules on this path would accept. */
export class NoMatch extends MatchSignal {
  constructor(
    readonly haveMatchFor: ReadonlySet<string>,
    readonly websocketMismatch: boolean,
  ) {
    super();
  }
}

/** The path matches once it is changed to `pathInfo` (a trailing slash or merged slashes). */
export class RequestPath extends MatchSignal {
  constructor(readonly pathInfo: string) {
    super();
  }
}

/** An alias rule matched: redirect to the canonical URL of its endpoint. */
export class RequestAliasRedirect extends MatchSignal {
  constructor(
    readonly matchedValues: Record<string, unknown>,
    readonly endpoint: string,
  ) {
    super();
  }
}

/**
 * A transition on a part with variables: its RulePart's test, copied out so the walk reads one
 * object per transition (each object a match touches is a likely cache miss in a busy server).
 */
interface Transition {
  readonly key: string;
  readonly weight: RulePart["weight"];
  readonly regex: RegExp;
  readonly whole: boolean;
  readonly final: boolean;
  readonly suffixed: boolean;
  readonly groups: readonly string[];
  readonly next: State;
}

class State {
  readonly static = new Map<string, State>();
  /**
   * `static.get("")`, kept as a field: every path's first part (after the domain's) is the
   * empty one before its leading slash, and a field costs no hash lookup.
   */
  slash: State | undefined;
  /** Transitions on parts with variables, best weight first. */
  readonly dynamic: Transition[] = [];
  readonly rules: Rule[] = [];
}

/** What a match gives: the rule and its converted arguments (url-map.ts hands it out as is). */
export interface MatchResult {
  readonly rule: Rule;
  readonly args: Record<string, unknown>;
}

/**
 * One match's state. `values` holds the variables' texts found so far in its first `count`
 * slots: a backtracking walk only moves `count` back, and the array is kept for the next match
 * (growing an array costs more than the rest of a match's objects).
 */
class Walk {
  method = "";
  websocket = false;
  readonly values: string[] = [];
  count = 0;
  haveMatchFor: Set<string> | null = null;
  websocketMismatch = false;

  reset(method: string, websocket: boolean): this {
    this.method = method;
    this.websocket = websocket;
    this.count = 0;
    this.haveMatchFor = null;
    this.websocketMismatch = false;
    return this;
  }

  push(value: string): void {
    this.values[this.count++] = value;
  }
}

const SLASH_REQUIRED = Symbol("slash required");
const EMPTY_SET: ReadonlySet<string> = new Set();

function methodMismatch(rule: Rule, walk: Walk): boolean {
  if (rule.methods === null || rule.methods.has(walk.method)) return false;
  walk.haveMatchFor ??= new Set();
  for (const m of rule.methods) walk.haveMatchFor.add(m);
  return true;
}

/**
 * Werkzeug's StateMachineMatcher.
 *
 * @example
 * const matcher = new StateMachineMatcher(true);
 * matcher.add(boundRule);
 * const { rule, args } = matcher.match("", "/user/42", "GET", false);
 */
export class StateMachineMatcher {
  readonly #root = new State();
  /**
   * The paths of rules without variables (in the default domain), each to its final state. The
   * walk tries static parts before variables, so the path of such a rule is the first thing it
   * would try: when a rule there accepts the method, the walk would answer the same.
   */
  readonly #staticPaths = new Map<string, State>();
  /** The Walk the next match uses; taken while a match runs (a converter may match re-entrantly). */
  #idle: Walk | null = new Walk();
  merge_slashes: boolean;

  constructor(merge_slashes: boolean) {
    this.merge_slashes = merge_slashes;
  }

  /** Adds a bound (compiled) rule. Dynamic transitions stay sorted by weight as they are added. */
  add(rule: Rule): void {
    let state = this.#root;
    for (const part of rule._parts) {
      if (part.static) {
        let next = state.static.get(part.content);
        if (next === undefined) state.static.set(part.content, (next = new State()));
        if (part.content === "") state.slash = next;
        state = next;
        continue;
      }
      const existing = state.dynamic.find((transition) => transition.key === part.key);
      if (existing !== undefined) {
        state = existing.next;
        continue;
      }
      const next = new State();
      // Insert after every transition of equal weight: the same order as Werkzeug's stable sort.
      let at = state.dynamic.length;
      while (at > 0 && compareWeighting(state.dynamic[at - 1]!.weight, part.weight) > 0) at--;
      const { key, weight, whole, final, suffixed, groups } = part;
      state.dynamic.splice(at, 0, { key, weight, regex: part.regex!, whole, final, suffixed, groups, next });
      state = next;
    }
    state.rules.push(rule);
    const [domain, ...path] = rule._parts;
    if (domain?.content === "" && path.every((part) => part.static)) this.#staticPaths.set(path.map((part) => part.content).join("/"), state);
  }

  /**
   * Matches `path` (already percent-decoded, starting with "/" or empty) on `domain`.
   * Returns the rule and its converted arguments, or a NoMatch / RequestPath / RequestAliasRedirect.
   */
  match(domain: string, path: string, method: string, websocket: boolean): MatchResult | MatchSignal {
    const walk = (this.#idle ?? new Walk()).reset(method, websocket);
    this.#idle = null;
    try {
      return this.#match(domain, path, walk);
    } finally {
      this.#idle = walk;
    }
  }

  #match(domain: string, path: string, walk: Walk): MatchResult | MatchSignal {
    const staticEnd = domain === "" ? this.#staticPaths.get(path) : undefined;
    let rule: Rule | RequestPath | null = staticEnd === undefined ? null : this.#ruleAtEnd(staticEnd, walk);
    if (rule === null) rule = this.#start(domain, path, walk);
    if (rule === null && this.merge_slashes && path.includes("//")) {
      const merged = path.replace(/\/{2,}/g, "/");
      walk.count = 0;
      const found = this.#start(domain, merged, walk);
      if (found instanceof RequestPath) return found;
      if (found === null || found.merge_slashes === false) return this.#noMatch(walk);
      return new RequestPath(merged);
    }
    if (rule === null) return this.#noMatch(walk);
    if (rule instanceof RequestPath) return rule;

    const args: Record<string, unknown> = {};
    const variables = rule._variables;
    try {
      for (let i = 0; i < variables.length; i++) {
        const { name, converter } = variables[i]!;
        args[name] = converter.to_python(walk.values[i]!);
      }
    } catch (error) {
      if (error instanceof ValidationError) return this.#noMatch(walk);
      throw error;
    }
    if (rule.defaults) Object.assign(args, rule.defaults);
    if (rule.alias && rule.map?.redirect_defaults) return new RequestAliasRedirect(args, rule.endpoint);
    return { rule, args };
  }

  #noMatch(walk: Walk): NoMatch {
    return new NoMatch(walk.haveMatchFor ?? EMPTY_SET, walk.websocketMismatch);
  }

  // The rule the walk found, or the path with a slash added when only that would match.
  #start(domain: string, path: string, walk: Walk): Rule | RequestPath | null {
    try {
      return this.#walkDomain(domain, path, walk);
    } catch (signal) {
      // Thrown from deep in the walk, which then stops: the rare redirect case.
      if (signal === SLASH_REQUIRED) return new RequestPath(`${path}/`);
      throw signal;
    }
  }

  // The first transition is the domain (the subdomain, or the host with host matching), one
  // part that may hold variables ("<user>", "<name>.example.org"): static first, as for any part.
  #walkDomain(domain: string, path: string, walk: Walk): Rule | null {
    const root = this.#root;
    const host = domain === "" ? root.slash : root.static.get(domain);
    if (host !== undefined) {
      const rv = this.#walk(host, path, 0, walk);
      if (rv !== null) return rv;
    }
    for (const test of root.dynamic) {
      const m = test.regex.exec(domain);
      if (m === null) continue;
      const saved = walk.count;
      for (const group of test.groups) walk.push(m.groups?.[group] as string);
      const rv = this.#walk(test.next, path, 0, walk);
      if (rv !== null) return rv;
      walk.count = saved;
    }
    return null;
  }

  /** The first rule of a state reached with the whole path consumed that takes the method. */
  #ruleAtEnd(state: State, walk: Walk): Rule | null {
    for (const rule of state.rules) {
      if (methodMismatch(rule, walk)) continue;
      if (rule.websocket !== walk.websocket) walk.websocketMismatch = true;
      else return rule;
    }
    return null;
  }

  // Walks the path's "/"-separated parts (Werkzeug splits it; here the part starting at
  // `start` is cut out as it is needed). `start > path.length` means every part was consumed.
  #walk(state: State, path: string, start: number, walk: Walk): Rule | null {
    if (start > path.length) {
      const rule = this.#ruleAtEnd(state, walk);
      if (rule !== null) return rule;
      // The path would match with a trailing slash added.
      const slash = state.slash;
      if (slash !== undefined) {
        for (const rule of slash.rules) {
          if (rule.websocket !== walk.websocket || (rule.methods !== null && !rule.methods.has(walk.method))) continue;
          if (rule.strict_slashes) throw SLASH_REQUIRED;
          return rule;
        }
      }
      return null;
    }

    let end = path.indexOf("/", start);
    if (end === -1) end = path.length;
    const part = start === end ? "" : path.slice(start, end);
    const next = part === "" ? state.slash : state.static.size === 0 ? undefined : state.static.get(part);
    if (next !== undefined) {
      const rv = this.#walk(next, path, end + 1, walk);
      if (rv !== null) return rv;
    }

    const dynamic = state.dynamic;
    for (let t = 0; t < dynamic.length; t++) {
      const test = dynamic[t]!;
      let target = part;
      let rest = path;
      let restStart = end + 1;
      if (test.final) {
        // A slash-matching converter consumes every remaining part.
        target = path.slice(start);
        restStart = path.length + 1;
      }
      const saved = walk.count;
      if (test.whole) {
        // One variable and nothing else (the common case): test() makes no match object.
        if (!test.regex.test(target)) continue;
        walk.push(target);
      } else {
        const m = test.regex.exec(target);
        if (m === null) continue;
        if (test.suffixed && m.groups?.slash === "/") {
          // The optional slash was there: one empty part is left to match.
          rest = "";
          restStart = 0;
        }
        for (const group of test.groups) walk.push(m.groups?.[group] as string);
      }
      const rv = this.#walk(test.next, rest, restStart, walk);
      if (rv !== null) return rv;
      walk.count = saved;
    }

    // Only a trailing slash is left: rules without strict slashes match without it.
    if (end === path.length && part === "") {
      for (const rule of state.rules) {
        if (rule.strict_slashes || methodMismatch(rule, walk)) continue;
        if (rule.websocket !== walk.websocket) walk.websocketMismatch = true;
        else return rule;
      }
    }
    return null;
  }
}
