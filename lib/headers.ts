// Headers: Werkzeug's ordered, case-insensitive, multi-valued header list.
// Owns the header collection of a Response (and of test requests); knows nothing of IO.

/** A header value as users may give it: numbers are stringified. */
export type HeaderValue = string | number;
/** What `new Headers(...)`, `extend()` and view tuples accept. */
export type HeadersInit =
  | Headers
  | Iterable<readonly [string, HeaderValue]>
  | Record<string, HeaderValue | readonly HeaderValue[] | undefined>;

function checkValue(key: string, value: HeaderValue): string {
  if (typeof value === "number") return String(value);
  const text = String(value);
  // Werkzeug refuses newlines in header values: they would split the header (response splitting).
  if (text.includes("\n") || text.includes("\r")) {
    throw new TypeError(`Header value for ${JSON.stringify(key)} must not contain a newline character.`);
  }
  return text;
}

/** Case-insensitive name equality that makes no lowercase copies when the lengths differ (most pairs). */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/**
 * An ordered list of (name, value) pairs with case-insensitive lookup, like
 * `werkzeug.datastructures.Headers`.
 *
 * @example
 * const resp = make_response("hi");
 * resp.headers.set("X-Something", "A value");   // Flask: resp.headers["X-Something"] = "A value"
 * resp.headers.add("Set-Cookie", "a=1");
 * resp.headers.get("x-something");              // "A value"
 */
export class Headers implements Iterable<[string, string]> {
  // Names at even indexes, each value after its name: the list Node's writeHead takes.
  #flat: string[] = [];

  constructor(init?: HeadersInit) {
    if (init !== undefined) this.extend(init);
  }

  /**
   * The first value for `key`, or `default_value` when absent.
   *
   * @example
   * request.headers.get("content-type");              // case-insensitive
   * resp.headers.get("X-Missing", "none");            // "none"
   */
  get(key: string): string | undefined;
  get<D>(key: string, default_value: D): string | D;
  get(key: string, default_value?: unknown): unknown {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (sameName(flat[i]!, key)) return flat[i + 1];
    return default_value;
  }

  /**
   * Every value for `key`, in order.
   *
   * @example
   * resp.headers.getlist("Set-Cookie");   // one entry per cookie
   */
  getlist(key: string): string[] {
    const out: string[] = [];
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (sameName(flat[i]!, key)) out.push(flat[i + 1]!);
    return out;
  }

  /**
   * Whether `key` is present, case-insensitively (Python's `key in headers`).
   *
   * @example
   * if (!resp.headers.has("Cache-Control")) resp.headers.set("Cache-Control", "no-store");
   */
  has(key: string): boolean {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (sameName(flat[i]!, key)) return true;
    return false;
  }

  /**
   * Replaces every value of `key` with one value, keeping the first one's position.
   *
   * @example
   * resp.headers.set("X-Something", "A value");   // Flask: resp.headers["X-Something"] = "A value"
   */
  set(key: string, value: HeaderValue): this {
    const text = checkValue(key, value);
    const flat = this.#flat;
    let index = -1;
    let duplicates = false;
    for (let i = 0; i < flat.length; i += 2) {
      if (!sameName(flat[i]!, key)) continue;
      if (index === -1) index = i;
      else duplicates = true;
    }
    if (index === -1) {
      flat.push(key, text);
      return this;
    }
    flat[index] = key;
    flat[index + 1] = text;
    if (duplicates) this.#keep((name, i) => i <= index || !sameName(name, key));
    return this;
  }

  /**
   * Appends a value, keeping existing ones (e.g. several Set-Cookie headers).
   *
   * @example
   * resp.headers.add("Link", "</style.css>; rel=preload");
   */
  add(key: string, value: HeaderValue): this {
    this.#flat.push(key, checkValue(key, value));
    return this;
  }

  /**
   * Sets `key` only when it is absent; returns the value in effect.
   *
   * @example
   * resp.headers.setdefault("Cache-Control", "no-cache");
   */
  setdefault(key: string, value: HeaderValue): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    this.add(key, value);
    return String(value);
  }

  /**
   * Removes every value of `key`. Werkzeug: `del headers[key]` / `headers.remove(key)`.
   *
   * @example
   * resp.headers.remove("X-Powered-By");
   */
  remove(key: string): void {
    this.#keep((name) => !sameName(name, key));
  }

  /** Keeps the pairs whose name (at flat index `i`) passes `test`. */
  #keep(test: (name: string, i: number) => boolean): void {
    const kept: string[] = [];
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (test(flat[i]!, i)) kept.push(flat[i]!, flat[i + 1]!);
    this.#flat = kept;
  }

  /**
   * Alias of {@link remove}, the natural spelling for a Map-like object.
   *
   * @example
   * resp.headers.delete("X-Powered-By");
   */
  delete(key: string): void {
    this.remove(key);
  }

  /**
   * Adds all pairs from `init`; arrays in a record add one header per item.
   *
   * @example
   * resp.headers.extend({ "Set-Cookie": ["a=1", "b=2"], "X-Trace": 7 });
   */
  extend(init: HeadersInit): this {
    if (init instanceof Headers) {
      for (const [k, v] of init) this.add(k, v);
    } else if (Symbol.iterator in init) {
      for (const [k, v] of init as Iterable<readonly [string, HeaderValue]>) this.add(k, v);
    } else {
      for (const [k, v] of Object.entries(init)) {
        if (v === undefined) continue;
        if (Array.isArray(v)) for (const item of v) this.add(k, item as HeaderValue);
        else this.add(k, v as HeaderValue);
      }
    }
    return this;
  }

  /**
   * Like `extend`, but each key given replaces the existing values (Flask's tuple headers).
   *
   * @example
   * resp.headers.update({ "Cache-Control": "no-store" });   // replaces any Cache-Control
   */
  update(init: HeadersInit): this {
    // Werkzeug's update: a Headers or a record replaces each key with all its given values; a
    // list of pairs sets one pair after the other, so a repeated key keeps its last value.
    if (!(init instanceof Headers) && Symbol.iterator in init) {
      for (const [k, v] of init as Iterable<readonly [string, HeaderValue]>) this.set(k, v);
      return this;
    }
    const incoming = new Headers(init);
    for (const key of new Set(incoming.keys().map((k) => k.toLowerCase()))) this.remove(key);
    for (const [k, v] of incoming) this.add(k, v);
    return this;
  }

  /**
   * The header names in order, one per value (repeated names repeat).
   *
   * @example
   * new Response("hello").headers.keys();     // ["Content-Type", "Content-Length"]
   */
  keys(): string[] {
    return this.#flat.filter((_, i) => i % 2 === 0);
  }

  /**
   * The header values in order.
   *
   * @example
   * new Response("hello").headers.values();   // ["text/html; charset=utf-8", "5"]
   */
  values(): string[] {
    return this.#flat.filter((_, i) => i % 2 === 1);
  }

  /**
   * The (name, value) pairs in order, as Werkzeug's `items()`.
   *
   * @example
   * for (const [name, value] of resp.headers.items()) console.log(`${name}: ${value}`);
   */
  items(): [string, string][] {
    return [...this];
  }

  /**
   * The number of (name, value) pairs (Python's `len(headers)`).
   *
   * @example
   * new Headers([["A", "1"], ["A", "2"]]).length;   // 2
   */
  get length(): number {
    return this.#flat.length / 2;
  }

  /**
   * Removes every header.
   *
   * @example
   * resp.headers.clear();
   */
  clear(): void {
    this.#flat = [];
  }

  /**
   * A shallow copy.
   *
   * @example
   * const headers = resp.headers.copy(); headers.set("X-Copy", "1");   // resp unchanged
   */
  copy(): Headers {
    return new Headers(this);
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i]!, flat[i + 1]!];
  }

  /**
   * The pairs as one flat list, `[name, value, name, value, ...]`: the shape Node's
   * `res.writeHead` takes. The Headers' own list, not a copy: read it, never change it.
   */
  get _flat(): readonly string[] {
    return this.#flat;
  }

  /**
   * Headers made from a flat list `[name, value, ...]` the new Headers owns from then on (the
   * Response makes its first two headers this way: one list of exactly their size).
   */
  static _of_flat(flat: string[]): Headers {
    const headers = new Headers();
    headers.#flat = flat;
    return headers;
  }

  /** A plain object for JSON and logs; repeated keys are joined with ", ". */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this) out[k] = k in out ? `${out[k]}, ${v}` : v;
    return out;
  }
}
