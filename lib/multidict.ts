// MultiDict: Werkzeug's multi-valued mapping behind request.args, form, values, files, cookies.
// Owns key -> values storage and Werkzeug's access rules (a missing key is a 400); no IO.

import { BadRequestKeyError } from "./http-exceptions.js";

/** A converter for `get(key, default, type)`: throwing (or returning NaN) means "use the default". */
export type TypeConverter<T> = (value: string | any) => T;

// Properties the runtime or libraries probe on any object; they must not be taken as form keys.
const MAP = Symbol("multidict.map");
const FROZEN = Symbol("multidict.frozen");

function mutable<V>(dict: MultiDict<V>): Map<string, V[]> {
  if (dict[FROZEN]) throw new TypeError("This MultiDict is immutable: request data cannot be changed. Copy it first with copy().");
  return dict[MAP];
}

const NOT_KEYS = new Set(["then", "toJSON", "constructor", "inspect", "asymmetricMatch", "nodeType", "$$typeof", "__proto__"]);

function convert<T>(value: unknown, type: TypeConverter<T>): { ok: true; value: T } | { ok: false } {
  try {
    const converted = type(value);
    if (typeof converted === "number" && Number.isNaN(converted)) return { ok: false };
    return { ok: true, value: converted };
  } catch {
    return { ok: false };
  }
}

/**
 * An ordered mapping where each key may have several values, like
 * `werkzeug.datastructures.MultiDict`. Index it like a dict: the first value, or a
 * {@link BadRequestKeyError} (a 400 Bad Request unless caught) when the key is missing.
 * Keys that collide with method names (`get`, `items`, ...) are read with `get()`.
 *
 * @example
 * const searchword = request.args.get("key", "");
 * const page = request.args.get("page", 1, Number);   // a failing conversion gives the default
 * const tags = request.args.getlist("tag");
 * const username = request.form["username"];          // 400 when absent
 */
export class MultiDict<V = string> {
  [key: string]: any;
  // Symbol keys rather than #private fields: methods are called through the Proxy, and a
  // Proxy receiver cannot reach #private fields.
  declare [MAP]: Map<string, V[]>;
  declare [FROZEN]: boolean;

  constructor(init?: Iterable<readonly [string, V]> | Record<string, V | V[]> | MultiDict<V>, immutable = false) {
    this[MAP] = new Map();
    this[FROZEN] = false;
    if (init instanceof MultiDict) {
      for (const [k, v] of init.items(true)) this.add(k, v);
    } else if (init !== undefined && Symbol.iterator in init) {
      for (const [k, v] of init as Iterable<readonly [string, V]>) this.add(k, v);
    } else if (init !== undefined) {
      for (const [k, v] of Object.entries(init)) {
        if (Array.isArray(v)) for (const item of v) this.add(k, item as V);
        else this.add(k, v as V);
      }
    }
    this[FROZEN] = immutable;
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === "symbol" || prop in target || NOT_KEYS.has(prop)) return Reflect.get(target, prop, receiver);
        return target.getitem(prop);
      },
      set(target, prop, value, receiver) {
        if (typeof prop === "symbol" || prop in target) return Reflect.set(target, prop, value, receiver);
        target.setitem(prop, value as V);
        return true;
      },
      has(target, prop) {
        return typeof prop === "string" ? target[MAP].has(prop) : prop in target;
      },
      deleteProperty(target, prop) {
        if (typeof prop === "string") mutable(target).delete(prop);
        return true;
      },
      ownKeys(target) {
        return [...target[MAP].keys()];
      },
      getOwnPropertyDescriptor(target, prop) {
        if (typeof prop !== "string" || !target[MAP].has(prop)) return undefined;
        return { value: target[MAP].get(prop)![0], enumerable: true, configurable: true, writable: !target[FROZEN] };
      },
    });
  }

  
  /**
   * The first value for `key`; a missing key throws BadRequestKeyError (Python's `md[key]`).
   *
   * @example
   * request.form.getitem("get");   // a field named like a method; request.form["name"] otherwise
   */
  getitem(key: string): V {
    const values = this[MAP].get(key);
    if (values === undefined) throw new BadRequestKeyError(key);
    return values[0]!;
  }

  /**
   * Replaces every value of `key` with one value (Python's `md[key] = value`).
   *
   * @example
   * const args = request.args.copy();
   * args.setitem("page", "2");   // same as args["page"] = "2"
   */
  setitem(key: string, value: V): void {
    mutable(this).set(key, [value]);
  }

  /**
   * The first value for `key`, converted by `type` when given; the default when missing or unconvertible.
   *
   * @example
   * request.args.get("q");                   // undefined when absent
   * request.args.get("page", 1, Number);     // a number; 1 when absent or not numeric
   */
  get(key: string): V | undefined;
  get<D>(key: string, default_value: D): V | D;
  get<T, D>(key: string, default_value: D, type: TypeConverter<T>): T | D;
  get(key: string, default_value?: unknown, type?: TypeConverter<unknown>): unknown {
    const values = this[MAP].get(key);
    if (values === undefined) return default_value;
    if (type === undefined) return values[0];
    const result = convert(values[0], type);
    return result.ok ? result.value : default_value;
  }

  /**
   * Every value for `key`; with `type`, the values that convert (others are dropped, as Werkzeug).
   *
   * @example
   * request.args.getlist("tag");             // ?tag=a&tag=b -> ["a", "b"]
   * request.args.getlist("id", Number);      // ?id=1&id=x -> [1]
   */
  getlist(key: string): V[];
  getlist<T>(key: string, type: TypeConverter<T>): T[];
  getlist(key: string, type?: TypeConverter<unknown>): unknown[] {
    const values = this[MAP].get(key) ?? [];
    if (type === undefined) return [...values];
    const out: unknown[] = [];
    for (const value of values) {
      const result = convert(value, type);
      if (result.ok) out.push(result.value);
    }
    return out;
  }

  /**
   * Whether `key` has a value (Python's `key in d`; `"key" in d` works too).
   *
   * @example
   * if (request.form.has("remember")) session.permanent = true;
   */
  has(key: string): boolean {
    return this[MAP].has(key);
  }

  /**
   * Appends a value to `key`, keeping the values it has.
   *
   * @example
   * const d = new MultiDict(); d.add("tag", "a"); d.add("tag", "b");
   * d.getlist("tag");   // ["a", "b"]
   */
  add(key: string, value: V): void {
    const values = mutable(this).get(key);
    if (values === undefined) this[MAP].set(key, [value]);
    else values.push(value);
  }

  /**
   * Replaces every value of `key` with `values`.
   *
   * @example
   * d.setlist("tag", ["x", "y"]);
   */
  setlist(key: string, values: Iterable<V>): void {
    mutable(this).set(key, [...values]);
  }

  /**
   * The first value of `key`, adding `default_value` first when it is missing.
   *
   * @example
   * d.setdefault("page", "1");   // the existing first value, or "1" (now stored)
   */
  setdefault(key: string, default_value: V): V {
    if (!this[MAP].has(key)) this.add(key, default_value);
    return this[MAP].get(key)![0]!;
  }

  /**
   * Removes `key` and returns its first value (or the default; a missing key without one throws).
   *
   * @example
   * const next = args.pop("next", "/");
   */
  pop(key: string, ...default_value: [] | [unknown]): V {
    const values = mutable(this).get(key);
    if (values === undefined) {
      if (default_value.length) return default_value[0] as V;
      throw new BadRequestKeyError(key);
    }
    this[MAP].delete(key);
    return values[0]!;
  }

  /**
   * Removes `key` and returns all its values (empty when missing).
   *
   * @example
   * const tags = args.poplist("tag");   // [] when absent
   */
  poplist(key: string): V[] {
    const values = mutable(this).get(key) ?? [];
    this[MAP].delete(key);
    return values;
  }

  /**
   * Adds every value of `other`, keeping existing ones (Werkzeug's update extends).
   *
   * @example
   * d.update({ tag: ["c", "d"] });   // d.getlist("tag") gains "c" and "d"
   */
  update(other: Iterable<readonly [string, V]> | Record<string, V | V[]> | MultiDict<V>): void {
    for (const [k, v] of new MultiDict<V>(other).items(true)) this.add(k, v);
  }

  /**
   * Each key once, in insertion order.
   *
   * @example
   * request.form.keys();   // ["username", "password"]
   */
  keys(): string[] {
    return [...this[MAP].keys()];
  }

  /**
   * The first value of each key.
   *
   * @example
   * new MultiDict([["a", "1"], ["a", "2"], ["b", "3"]]).values();   // ["1", "3"]
   */
  values(): V[] {
    return [...this[MAP].values()].map((values) => values[0]!);
  }

  /**
   * (key, first value) pairs; with `multi`, one pair per value.
   *
   * @example
   * for (const [key, value] of request.args.items(true)) console.log(key, value);
   */
  items(multi = false): [string, V][] {
    const out: [string, V][] = [];
    for (const [k, values] of this[MAP]) {
      if (multi) for (const v of values) out.push([k, v]);
      else out.push([k, values[0]!]);
    }
    return out;
  }

  /**
   * (key, all values) pairs.
   *
   * @example
   * new MultiDict([["a", "1"], ["a", "2"]]).lists();   // [["a", ["1", "2"]]]
   */
  lists(): [string, V[]][] {
    return [...this[MAP]].map(([k, values]) => [k, [...values]]);
  }

  /**
   * A plain object: first values, or every value as an array when `flat` is false.
   *
   * @example
   * request.args.to_dict();        // ?tag=a&tag=b -> { tag: "a" }
   * request.args.to_dict(false);   // ?tag=a&tag=b -> { tag: ["a", "b"] }
   */
  to_dict(flat?: true): Record<string, V>;
  to_dict(flat: false): Record<string, V[]>;
  to_dict(flat = true): Record<string, V> | Record<string, V[]> {
    const out: Record<string, V | V[]> = {};
    for (const [k, values] of this[MAP]) out[k] = flat ? values[0]! : [...values];
    return out as Record<string, V> | Record<string, V[]>;
  }

  /**
   * A mutable copy.
   *
   * @example
   * const args = request.args.copy(); args["page"] = "2";   // request.args itself is immutable
   */
  copy(): MultiDict<V> {
    return new MultiDict<V>(this.items(true));
  }

  /**
   * The number of distinct keys (Python's `len(d)`).
   *
   * @example
   * new MultiDict([["a", "1"], ["a", "2"]]).length;   // 1
   */
  get length(): number {
    return this[MAP].size;
  }

  [Symbol.iterator](): Iterator<string> {
    return this[MAP].keys();
  }

  toJSON(): Record<string, V> {
    return this.to_dict();
  }
}

/**
 * Several MultiDicts read as one, first match wins: `request.values` (args, then form).
 *
 * @example
 * const values = new CombinedMultiDict([request.args, request.form]);
 * values.get("q");   // from the query string if there, else from the form
 */
export class CombinedMultiDict<V = string> extends MultiDict<V> {
  constructor(dicts: MultiDict<V>[]) {
    super(dicts.flatMap((d) => d.items(true)), true);
  }
}
