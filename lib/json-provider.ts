// The app's JSON provider (Flask's DefaultJSONProvider): how dicts, lists and jsonify() become
// JSON responses. Byte-compatible with Flask's output: sorted keys, ASCII-escaped, compact.

import { Response } from "./response.js";

/** Flask's HTTP date format for datetimes in JSON ("Wed, 21 Oct 2015 07:28:00 GMT"). */
function httpDate(date: Date): string {
  return date.toUTCString();
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[\u007f-\uffff]/g;

const HAS_NON_ASCII = /[\u007f-\uffff]/;

// Python's ensure_ascii escapes everything outside space..tilde, DEL (U+007F) included.
function asciiEscape(text: string): string {
  if (!HAS_NON_ASCII.test(text)) return text;
  return text.replace(NON_ASCII, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Marks a value plainJson() leaves to the full serializer (and its `default` hook). */
const NOT_PLAIN = Symbol("not plain JSON");

/** An object JSON writes key by key as it is: a plain object or null-prototype one, without toJSON. */
function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The value JSON.stringify can write as it is (no replacer, V8's fast path) to give the sorted
 * compact text: objects whose keys are out of order are copied in order. NOT_PLAIN for anything
 * plainJson() would refuse, and for objects with numeric keys, which JavaScript enumerates in
 * numeric order whatever the insertion order.
 */
function sortedForStringify(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null ? value : NOT_PLAIN;
  }
  if (depth > 64) return NOT_PLAIN;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined) return NOT_PLAIN;
      const out = sortedForStringify(item, depth + 1);
      if (out === NOT_PLAIN) return NOT_PLAIN;
      if (out !== item) (copy ??= value.slice())[i] = out;
    }
    return copy ?? value;
  }
  if (!isPlainRecord(value)) return NOT_PLAIN;
  const keys = Object.keys(value);
  let replaced: Map<string, unknown> | undefined; // children that needed copies of their own
  let changed = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const first = key.charCodeAt(0);
    if (first >= 48 && first <= 57 && keys.length > 1 && ARRAY_INDEX.test(key)) return NOT_PLAIN;
    if (i > 0 && keys[i - 1]! > key) changed = true;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) {
      changed = true;
      continue;
    }
    const out = sortedForStringify(item, depth + 1);
    if (out === NOT_PLAIN) return NOT_PLAIN;
    if (out !== item) (replaced ??= new Map()).set(key, out);
  }
  if (!changed && replaced === undefined) return value;
  const copy: Record<string, unknown> = {};
  for (const key of sortInPlace(keys)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) copy[key] = replaced?.has(key) ? replaced.get(key) : item;
  }
  return copy;
}

// What JSON.stringify escapes in a string (lone surrogates included): other strings are quoted as they are.
// eslint-disable-next-line no-control-regex
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function quoteJson(text: string): string {
  return JSON_ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

const isRecordLike = (item: unknown): boolean => typeof item === "object" && item !== null;

/**
 * Sorts keys as `keys.sort()` does (by UTF-16 code units). A record has few keys: insertion sort
 * does them in place, where Array.prototype.sort allocates ~900 bytes of work space on every call.
 */
function sortInPlace(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    if (keys[j]! <= key) continue;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * Compact JSON of a tree of plain objects, arrays, strings, numbers, booleans and null, keys
 * sorted when asked: what most views return. Records are written here; a list holding records
 * goes through sortedForStringify() and JSON.stringify, faster for many records. Anything else
 * (a Date, a class instance, a toJSON, a bigint, a very deep or circular tree) gives NOT_PLAIN,
 * and the replacer-based path runs.
 */
function plainJson(value: unknown, sortKeys: boolean, depth: number): string | typeof NOT_PLAIN {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return quoteJson(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return NOT_PLAIN;
  }
  if (depth > 64) return NOT_PLAIN;
  if (Array.isArray(value)) {
    // A list of records is faster through JSON.stringify than built up here.
    const ready = sortKeys && value.some(isRecordLike) ? sortedForStringify(value, depth) : NOT_PLAIN;
    if (ready !== NOT_PLAIN) return JSON.stringify(ready);
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined) return NOT_PLAIN;
      const text = plainJson(item, sortKeys, depth + 1);
      if (text === NOT_PLAIN) return NOT_PLAIN;
      out += i === 0 ? text : `,${text}`;
    }
    return `${out}]`;
  }
  if (!isPlainRecord(value)) return NOT_PLAIN;
  const keys = Object.keys(value);
  if (sortKeys) sortInPlace(keys);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    const text = plainJson(item, sortKeys, depth + 1);
    if (text === NOT_PLAIN) return NOT_PLAIN;
    out += `${out.length === 1 ? "" : ","}${quoteJson(key)}:${text}`;
  }
  return `${out}}`;
}

/** Python's default json.dumps separators (", " and ": ") applied to compact JSON text, outside strings. */
function pythonSeparators(json: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    out += ch;
    if (inString) {
      if (ch === "\\") out += json[++i] ?? "";
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "," || ch === ":") out += " ";
  }
  return out;
}

/** Settings the app reads when it needs to know whether it is in debug mode. */
interface ProviderHost {
  readonly debug: boolean;
  /** The app's response class (Flask's `app.response_class`), used for JSON responses. */
  readonly response_class?: typeof Response;
}

/**
 * Serializes view return values and `jsonify()` arguments. Switch any default on `app.json`.
 *
 * @example
 * app.json.sort_keys = false;     // keep insertion order
 * app.json.ensure_ascii = false;  // emit UTF-8 instead of \u escapes
 * app.json.compact = false;       // indent by 2 even outside debug mode
 */
export class DefaultJSONProvider {
  /** Sort object keys, as Flask does by default. */
  sort_keys = true;
  /** Escape non-ASCII characters as `\uXXXX`, as Python's json does by default. */
  ensure_ascii = true;
  /** null: compact unless the app is in debug mode (then indented by 2). */
  compact: boolean | null = null;
  mimetype = "application/json";
  #host: ProviderHost;

  constructor(host: ProviderHost) {
    this.#host = host;
  }

  /**
   * Flask's `default` hook: values JSON cannot represent as they are. Dates become HTTP dates,
   * objects with `__html__` their markup, bigints decimal strings, Maps objects, Sets arrays;
   * anything else is a TypeError.
   *
   * @example
   * class DecimalProvider extends DefaultJSONProvider {
   *   override default(value: unknown) { return value instanceof Decimal ? value.toString() : super.default(value); }
   * }
   * app.json = new DecimalProvider(app);
   */
  default(value: unknown): unknown {
    if (value instanceof Date) return httpDate(value);
    if (typeof value === "bigint") return value.toString();
    if (value instanceof Map) return Object.fromEntries(value);
    if (value instanceof Set) return [...value];
    if (typeof value === "object" && value !== null && typeof (value as { __html__?: unknown }).__html__ === "function") {
      return String((value as { __html__(): unknown }).__html__());
    }
    const name = value === null ? "null" : typeof value === "object" ? value.constructor?.name ?? "Object" : typeof value;
    throw new TypeError(`Object of type ${name} is not JSON serializable`);
  }

  /**
   * Serializes `value` with this provider's settings and, like Flask's `app.json.dumps`, Python's
   * default separators (`", "` and `": "`); `compact` gives `","` and `":"` (what responses use).
   *
   * @example
   * app.json.dumps({ b: 1, a: [1, 2] });                      // '{"a": [1, 2], "b": 1}'
   * app.json.dumps({ b: 1, a: [1, 2] }, { compact: true });   // '{"a":[1,2],"b":1}'
   */
  dumps(value: unknown, { indent, compact = false }: { indent?: number; compact?: boolean } = {}): string {
    const text = this.#serialize(value, indent);
    return compact || indent !== undefined ? text : pythonSeparators(text);
  }

  #serialize(value: unknown, indent: number | undefined): string {
    const sortKeys = this.sort_keys;
    if (indent === undefined) {
      // Records are written here (sorted as they are read); lists go through JSON.stringify.
      const text = plainJson(value, sortKeys, 0);
      if (text !== NOT_PLAIN) return this.ensure_ascii ? asciiEscape(text) : text;
    }
    const replacer = (_key: string, v: unknown): unknown => {
      if (v === null || typeof v !== "object") {
        return typeof v === "bigint" || typeof v === "function" || typeof v === "symbol" ? this.default(v) : v;
      }
      if (Array.isArray(v)) return v;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) v = this.default(v);
      if (!sortKeys || v === null || typeof v !== "object" || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    };
    // Dates have a toJSON that runs before the replacer; take it out of the way for Flask's format.
    const text = JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
      const raw = this[key];
      return replacer(key, raw instanceof Date ? raw : v);
    }, indent);
    if (text === undefined) throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
    return this.ensure_ascii ? asciiEscape(text) : text;
  }

  /**
   * Parses JSON text or bytes.
   *
   * @example
   * app.json.loads('{"a": 1}');   // { a: 1 }
   */
  loads(text: string | Uint8Array): unknown {
    return JSON.parse(typeof text === "string" ? text : Buffer.from(text).toString("utf8"));
  }

  /**
   * A JSON response with a trailing newline, as Flask's `jsonify()` builds it.
   *
   * @example
   * return app.json.response({ ok: true });   // body '{"ok":true}\n', like jsonify({ ok: true })
   */
  response(value: unknown): Response {
    const indented = this.compact === false || (this.compact === null && this.#host.debug);
    const body = `${indented ? this.dumps(value, { indent: 2 }) : this.#serialize(value, undefined)}\n`;
    const response_class = this.#host.response_class ?? Response;
    return new response_class(body, { mimetype: this.mimetype });
  }
}
