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
  const text = String(value);
  // Werkzeug refuses newlines in header values: they would split the header (response splitting).
  if (/[\r\n]/.test(text)) {
    throw new TypeError(`Header value for ${JSON.stringify(key)} must not contain a newline character.`);
  }
  return text;
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
  #list: [string, string][] = [];

  constructor(init?: HeadersInit) {
    if (init !== undefined) this.extend(init);
  }

  /** The first value for `key`, or `default_value` when absent. */
  get(key: string): string | undefined;
  get<D>(key: string, default_value: D): string | D;
  get(key: string, default_value?: unknown): unknown {
    const lower = key.toLowerCase();
    for (const [k, v] of this.#list) if (k.toLowerCase() === lower) return v;
    return default_value;
  }

  /** Every value for `key`, in order. */
  getlist(key: string): string[] {
    const lower = key.toLowerCase();
    const out: string[] = [];
    for (const [k, v] of this.#list) if (k.toLowerCase() === lower) out.push(v);
    return out;
  }

  has(key: string): boolean {
    const lower = key.toLowerCase();
    return this.#list.some(([k]) => k.toLowerCase() === lower);
  }

  /** Replaces every value of `key` with one value, keeping the first one's position. */
  set(key: string, value: HeaderValue): this {
    const text = checkValue(key, value);
    const lower = key.toLowerCase();
    const list = this.#list;
    let index = -1;
    let duplicates = false;
    for (let i = 0; i < list.length; i++) {
      if (list[i]![0].toLowerCase() !== lower) continue;
      if (index === -1) index = i;
      else duplicates = true;
    }
    if (index === -1) {
      list.push([key, text]);
      return this;
    }
    list[index] = [key, text];
    if (duplicates) this.#list = list.filter(([k], i) => i <= index || k.toLowerCase() !== lower);
    return this;
  }

  /** Appends a value, keeping existing ones (e.g. several Set-Cookie headers). */
  add(key: string, value: HeaderValue): this {
    this.#list.push([key, checkValue(key, value)]);
    return this;
  }

  /** Sets `key` only when it is absent; returns the value in effect. */
  setdefault(key: string, value: HeaderValue): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    this.add(key, value);
    return String(value);
  }

  /** Removes every value of `key`. Werkzeug: `del headers[key]` / `headers.remove(key)`. */
  remove(key: string): void {
    const lower = key.toLowerCase();
    this.#list = this.#list.filter(([k]) => k.toLowerCase() !== lower);
  }

  /** Alias of {@link remove}, the natural spelling for a Map-like object. */
  delete(key: string): void {
    this.remove(key);
  }

  /** Adds all pairs from `init`; arrays in a record add one header per item. */
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

  /** Like `extend`, but each key given replaces the existing values (Flask's tuple headers). */
  update(init: HeadersInit): this {
    const incoming = new Headers(init);
    for (const key of new Set(incoming.keys().map((k) => k.toLowerCase()))) this.remove(key);
    for (const [k, v] of incoming) this.add(k, v);
    return this;
  }

  keys(): string[] {
    return this.#list.map(([k]) => k);
  }

  values(): string[] {
    return this.#list.map(([, v]) => v);
  }

  items(): [string, string][] {
    return this.#list.map(([k, v]) => [k, v]);
  }

  get length(): number {
    return this.#list.length;
  }

  clear(): void {
    this.#list = [];
  }

  /** A shallow copy. */
  copy(): Headers {
    return new Headers(this);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.#list[Symbol.iterator]();
  }

  /** A plain object for JSON and logs; repeated keys are joined with ", ". */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.#list) out[k] = k in out ? `${out[k]}, ${v}` : v;
    return out;
  }
}
