/**
 * Flask's tagged JSON (flask/json/tag.py): lossless JSON for the few non-JSON types a session
 * holds, in the exact wire format Flask reads and writes.
 *
 * Owns: the tag registry and its order, the eight default tags (` di`, dict, ` t`, list, ` b`,
 * ` m`, ` u`, ` d`), the JS representations of Python's tuple, and Werkzeug's HTTP date form
 * for datetimes. Must not sign, compress or touch cookies.
 *
 * JS representations of the tagged Python types:
 * - tuple ` t`    <-> {@link Tuple} (a frozen Array subclass; build one with {@link tuple})
 * - bytes ` b`    <-> `Uint8Array` / `Buffer` (decodes to `Buffer`)
 * - Markup ` m`   <-> anything with an `__html__()` method; decodes to {@link Markup}
 * - UUID ` u`     <-> {@link UUID}
 * - datetime ` d` <-> `Date` (whole seconds: the HTTP date form drops milliseconds, and decoding
 *   yields the instant, as Flask yields an aware UTC datetime)
 */

import { Markup } from "./markup.js";
import { python_json_dumps, python_json_loads, isPlainObject, defineEntry } from "./python-json.js";
import { UUID } from "./uuid.js";

/**
 * A Python tuple: an immutable array that keeps its tuple-ness through a session round trip
 * (Flask stores flashed messages as `(category, message)` tuples). Everything that reads an
 * array reads a Tuple; `map`/`filter` results are plain arrays.
 *
 * @example
 * const t = tuple("message", "Hello");
 * t instanceof Tuple; // true
 * Array.isArray(t);   // true
 */
export class Tuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/**
 * Build a frozen {@link Tuple}, the JS spelling of Python's `(a, b)`.
 *
 * @example
 * session._flashes = [tuple("message", "Saved")];
 */
export function tuple<T>(...items: T[]): Tuple<T> {
  const t = new Tuple<T>();
  t.push(...items);
  return Object.freeze(t);
}

/** A tag class, as passed to {@link TaggedJSONSerializer.register} (Flask's `JSONTag` subclass). */
export type JSONTagClass = new (serializer: TaggedJSONSerializer) => JSONTag;

/**
 * Base of every tag, mirroring Flask's `JSONTag`: `check` claims a value, `to_json` turns it into
 * JSON-able data (tagging children through `this.serializer.tag`), `to_python` reverses it.
 * An empty `key` makes a pass-through tag that only recurses (dicts, lists).
 *
 * @example
 * class TagMap extends JSONTag {
 *   override readonly key = " map";
 *   check(v: unknown) { return v instanceof Map; }
 *   to_json(v: unknown) { return [...(v as Map<string, unknown>)].map(([k, x]) => [k, this.serializer.tag(x)]); }
 *   override to_python(v: unknown) { return new Map(v as [string, unknown][]); }
 * }
 * serializer.register(TagMap, { index: 0 });
 */
export abstract class JSONTag {
  readonly key: string = "";
  constructor(readonly serializer: TaggedJSONSerializer) {}
  abstract check(value: unknown): boolean;
  abstract to_json(value: unknown): unknown;
  to_python(value: unknown): unknown {
    return value;
  }
  /** Wrap the JSON form in `{key: ...}`. */
  tag(value: unknown): unknown {
    return { [this.key]: this.to_json(value) };
  }
}

/** A one-key dict whose key looks like a tag: escaped as `{" di": {"<key>__": value}}`. */
class TagDict extends JSONTag {
  override readonly key = " di";
  check(value: unknown): boolean {
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && this.serializer.tags.has(keys[0] as string);
  }
  to_json(value: unknown): unknown {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] as [string, unknown];
    return { [`${key}__`]: this.serializer.tag(inner) };
  }
  override to_python(value: unknown): unknown {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] as [string, unknown];
    const out: Record<string, unknown> = {};
    defineEntry(out, key.slice(0, -2), inner);
    return out;
  }
}

class PassDict extends JSONTag {
  check(value: unknown): boolean {
    return isPlainObject(value);
  }
  to_json(value: unknown): unknown {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) defineEntry(out, k, this.serializer.tag(v));
    return out;
  }
  override tag(value: unknown): unknown {
    return this.to_json(value);
  }
}

class TagTuple extends JSONTag {
  override readonly key = " t";
  check(value: unknown): boolean {
    return value instanceof Tuple;
  }
  to_json(value: unknown): unknown {
    return (value as unknown[]).map((item) => this.serializer.tag(item));
  }
  override to_python(value: unknown): unknown {
    if (!Array.isArray(value)) throw new TypeError("a ' t' (tuple) tag must hold a JSON array");
    return tuple(...(value as unknown[]));
  }
}

class PassList extends JSONTag {
  check(value: unknown): boolean {
    return Array.isArray(value);
  }
  to_json(value: unknown): unknown {
    return (value as unknown[]).map((item) => this.serializer.tag(item));
  }
  override tag(value: unknown): unknown {
    return this.to_json(value);
  }
}

class TagBytes extends JSONTag {
  override readonly key = " b";
  check(value: unknown): boolean {
    return value instanceof Uint8Array;
  }
  to_json(value: unknown): unknown {
    const u8 = value as Uint8Array;
    return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString("base64");
  }
  override to_python(value: unknown): unknown {
    if (typeof value !== "string") throw new TypeError("a ' b' (bytes) tag must hold a base64 string");
    return Buffer.from(value, "base64");
  }
}

class TagMarkup extends JSONTag {
  override readonly key = " m";
  check(value: unknown): boolean {
    return (
      value !== null &&
      (typeof value === "object" || typeof value === "function") &&
      typeof (value as { __html__?: unknown }).__html__ === "function"
    );
  }
  to_json(value: unknown): unknown {
    return String((value as { __html__(): unknown }).__html__());
  }
  override to_python(value: unknown): unknown {
    return new Markup(String(value));
  }
}

class TagUUID extends JSONTag {
  override readonly key = " u";
  check(value: unknown): boolean {
    return value instanceof UUID;
  }
  to_json(value: unknown): unknown {
    return (value as UUID).hex;
  }
  override to_python(value: unknown): unknown {
    return new UUID(String(value));
  }
}

class TagDateTime extends JSONTag {
  override readonly key = " d";
  check(value: unknown): boolean {
    return value instanceof Date;
  }
  to_json(value: unknown): unknown {
    return httpDate(value as Date);
  }
  override to_python(value: unknown): unknown {
    return parseHttpDate(String(value));
  }
}

/**
 * Flask's `TaggedJSONSerializer`: tags values, then writes them as Flask's app JSON provider
 * would (compact, keys sorted, ASCII only), so equal sessions give byte-identical text whatever
 * the insertion order. Integral JS numbers are written as Python ints (see python-json.ts).
 *
 * @example
 * const s = new TaggedJSONSerializer();
 * s.dumps({ _flashes: [tuple("message", "Hi")] }); // '{"_flashes":[{" t":["message","Hi"]}]}'
 * s.loads('{" t":[1,2]}');                         // Tuple [1, 2]
 */
export class TaggedJSONSerializer {
  static readonly default_tags: readonly JSONTagClass[] = [
    TagDict, PassDict, TagTuple, PassList, TagBytes, TagMarkup, TagUUID, TagDateTime,
  ];
  /** Registered tags by key. */
  readonly tags = new Map<string, JSONTag>();
  /** Tags in the order `tag()` tries them; the first whose `check` passes wins. */
  readonly order: JSONTag[] = [];

  constructor() {
    for (const cls of TaggedJSONSerializer.default_tags) this.register(cls);
  }

  /**
   * Add a tag. `index` inserts it into the order (before a more general tag, say); an existing
   * key is only replaced with `force`.
   */
  register(tag_class: JSONTagClass, options: { force?: boolean; index?: number } = {}): void {
    const tag = new tag_class(this);
    if (tag.key !== "") {
      if (!options.force && this.tags.has(tag.key)) {
        throw new Error(`Tag '${tag.key}' is already registered; pass { force: true } to replace it.`);
      }
      this.tags.set(tag.key, tag);
    }
    if (options.index === undefined) this.order.push(tag);
    else this.order.splice(options.index, 0, tag);
  }

  /** Convert a value to its tagged, JSON-able representation. */
  tag(value: unknown): unknown {
    for (const tag of this.order) {
      if (tag.check(value)) return tag.tag(value);
    }
    return value;
  }

  /** Reverse one level of tagging: a one-key object whose key is a registered tag. */
  untag(value: Record<string, unknown>): unknown {
    const keys = Object.keys(value);
    if (keys.length !== 1) return value;
    const tag = this.tags.get(keys[0] as string);
    return tag === undefined ? value : tag.to_python(value[keys[0] as string]);
  }

  /** Tag `value` and write it as compact, key-sorted, ASCII-only JSON. */
  dumps(value: unknown): string {
    return python_json_dumps(this.tag(value), { sort_keys: true, ensure_ascii: true });
  }

  /** Parse JSON text and rebuild every tagged value, innermost first. */
  loads(text: string): unknown {
    return this.#untagScan(python_json_loads(text));
  }

  #untagScan(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item: unknown) => this.#untagScan(item));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) defineEntry(out, k, this.#untagScan(v));
      return this.untag(out);
    }
    return value;
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Werkzeug's `http_date`: "Wed, 21 Oct 2015 07:28:00 GMT" (UTC, whole seconds). */
export function httpDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Cannot store an Invalid Date in a session");
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const year = String(date.getUTCFullYear()).padStart(4, "0");
  return (
    `${DAYS[date.getUTCDay()]}, ${p2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${year} ` +
    `${p2(date.getUTCHours())}:${p2(date.getUTCMinutes())}:${p2(date.getUTCSeconds())} GMT`
  );
}

const HTTP_DATE =
  /^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|UT|Z|[+-]\d{4})?\s*$/;

/**
 * Werkzeug's `parse_date` for the RFC 5322 forms Flask writes: the instant, or `null` when the
 * text is not a valid date (Werkzeug returns None; a missing zone means UTC).
 */
export function parseHttpDate(text: string): Date | null {
  const m = HTTP_DATE.exec(text);
  if (m === null) return null;
  const [, dd, mon, yy, hh, mi, ss, zone] = m;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === (mon as string).toLowerCase());
  let year = Number(yy);
  // email.utils reads any year below 100 as two-digit, even "0005" (so Flask does too).
  if (year < 100) year += year > 68 ? 1900 : 2000;
  const day = Number(dd);
  const [hour, minute, second] = [Number(hh), Number(mi), Number(ss ?? "0")];
  if (month < 0 || hour > 23 || minute > 59 || second > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  if (d.getUTCMonth() !== month || d.getUTCDate() !== day) return null;
  d.setUTCHours(hour, minute, second, 0);
  let offsetMinutes = 0;
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const sign = zone.startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  }
  return new Date(d.getTime() - offsetMinutes * 60_000);
}
