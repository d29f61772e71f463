// URL converters (Werkzeug's routing/converters.py): each owns a regex fragment for one URL
// variable, a weight used to order rules, and the to_python/to_url conversions. Converters know
// nothing of rules or matching; the rule compiler (rule.ts) embeds their regex.
//
// Regexes are JavaScript regexes compiled with the `u` flag (code points, `\p{...}`), so the
// built-ins use `\p{Nd}` where Werkzeug's Python regexes rely on `\d` matching every decimal digit.

import type { UrlMap } from "./url-map.js";
import { pyFloatRepr, pyStr } from "./py-text.js";
import { PATH_SAFE, quote } from "./urls.js";

/**
 * Thrown by a converter's `to_python` when a matched value is not acceptable: the request then
 * does not match this rule (Werkzeug then answers 404 rather than trying further rules).
 *
 * @example
 * class EvenConverter extends IntegerConverter {
 *   override to_python(value: string) {
 *     const n = super.to_python(value);
 *     if (n % 2) throw new ValidationError();
 *     return n;
 *   }
 * }
 */
export class ValidationError extends Error {
  constructor(message = "") {
    super(message);
    this.name = "ValidationError";
  }
}

/** A converter class as registered in `url_map.converters` (Werkzeug's `type[BaseConverter]`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConverterClass = new (map: UrlMap, ...args: any[]) => BaseConverter;

const BASE_REGEX = "[^/]+";

/**
 * Base of every converter. A rule `<name(args):var>` constructs `new Converter(map, ...args)`;
 * keyword arguments (`<int(min=1):page>`) arrive as one trailing plain object, which
 * {@link converterArgs} splits out.
 *
 * `part_isolating` says whether the regex stays within one path segment. Like Werkzeug, a
 * subclass that sets `regex` but not `part_isolating` gets `!regex.includes("/")`.
 *
 * @example
 * class ListConverter extends BaseConverter {
 *   override to_python(value: string) { return value.split(","); }
 *   override to_url(value: unknown) {
 *     return (value as unknown[]).map((v) => super.to_url(v)).join(",");
 *   }
 * }
 * app.url_map.converters.list = ListConverter; // then "/tags/<list:tags>"
 */
export class BaseConverter {
  regex: string = BASE_REGEX;
  weight: number = 100;
  declare part_isolating: boolean;
  readonly map: UrlMap;

  constructor(map: UrlMap, ..._args: unknown[]) {
    this.map = map;
  }

  /**
   * Turns the matched URL text into the view's argument (Werkzeug's `to_python`); throw ValidationError to make the rule not match.
   *
   * @example
   * class UpperConverter extends BaseConverter { override to_python(value: string) { return value.toUpperCase(); } }
   */
  to_python(value: string): unknown {
    return value;
  }

  /**
   * Turns a url_for() value back into URL text, percent-quoted (Werkzeug's `to_url`).
   *
   * @example
   * new BaseConverter(app.url_map).to_url("a b/c");   // "a%20b/c"
   */
  to_url(value: unknown): string {
    return quote(pyStr(value), PATH_SAFE);
  }
}

// part_isolating lives on the prototype so that a subclass field (`part_isolating = false`)
// or an assignment overrides it, while an unset one follows the regex as in Werkzeug.
Object.defineProperty(BaseConverter.prototype, "part_isolating", {
  configurable: true,
  get(this: BaseConverter): boolean {
    return this.regex === BASE_REGEX || !this.regex.includes("/");
  },
  set(this: BaseConverter, value: boolean) {
    Object.defineProperty(this, "part_isolating", { value, writable: true, enumerable: true, configurable: true });
  },
});

function isKwargs(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Maps a converter's constructor arguments (positional values, then an optional keyword
 * object) onto parameter names, rejecting unknown or duplicate ones as Python would.
 *
 * @example
 * const { sep } = converterArgs("list", args, ["sep"]);
 */
export function converterArgs(converter: string, args: readonly unknown[], names: readonly string[]): Record<string, unknown> {
  const last = args[args.length - 1];
  const kwargs = isKwargs(last) ? last : {};
  const positional = isKwargs(last) ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    throw new TypeError(
      `Converter '${converter}' takes at most ${names.length} argument(s) (${names.join(", ") || "none"}) but got ${positional.length}.`,
    );
  }
  const out: Record<string, unknown> = {};
  positional.forEach((value, i) => (out[names[i] as string] = value));
  for (const [key, value] of Object.entries(kwargs)) {
    if (!names.includes(key)) {
      throw new TypeError(`Converter '${converter}' got an unexpected keyword argument '${key}'; it accepts: ${names.join(", ") || "none"}.`);
    }
    if (key in out) throw new TypeError(`Converter '${converter}' got multiple values for argument '${key}'.`);
    out[key] = value;
  }
  return out;
}

/** The default converter: one path segment, optionally length-limited (`string(length=2)`). */
export class UnicodeConverter extends BaseConverter {
  override part_isolating = true;

  constructor(map: UrlMap, ...args: unknown[]) {
    super(map);
    const { minlength = 1, maxlength = null, length = null } = converterArgs("string", args, ["minlength", "maxlength", "length"]);
    if (length !== null) {
      this.regex = `[^/]{${pyInt(length)}}`;
    } else {
      this.regex = `[^/]{${pyInt(minlength)},${maxlength === null ? "" : pyInt(maxlength)}}`;
    }
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** One of a fixed set of values: `<any(about, help, "foo,bar"):page>`. */
export class AnyConverter extends BaseConverter {
  override part_isolating = true;
  readonly items: ReadonlySet<string>;

  constructor(map: UrlMap, ...items: unknown[]) {
    super(map);
    if (isKwargs(items[items.length - 1])) throw new TypeError("Converter 'any' takes its items as positional arguments only.");
    const strings = items.map(pyStr);
    this.items = new Set(strings);
    this.regex = `(?:${strings.map(escapeRegex).join("|")})`;
  }

  override to_url(value: unknown): string {
    if (typeof value === "string" && this.items.has(value)) return value;
    const valid = [...this.items].sort().map((item) => `'${item}'`).join(", ");
    throw new Error(`'${pyStr(value)}' is not one of ${valid}`);
  }
}

/** Like the default converter but also matches slashes (`/<path:wikipage>/edit`). */
export class PathConverter extends BaseConverter {
  override part_isolating = false;
  // Python's "." excludes only "\n"; JavaScript's would also exclude "\r" and U+2028/9.
  override regex = "[^/][^\\n]*?";
  override weight = 200;
}

/** Shared parts of int and float (Werkzeug's NumberConverter). */
export abstract class NumberConverter extends BaseConverter {
  override part_isolating = true;
  override weight = 50;
  fixed_digits = 0;
  min: number | null = null;
  max: number | null = null;
  signed = false;

  protected configure(opts: Record<string, unknown>): void {
    const { fixed_digits = 0, min = null, max = null, signed = false } = opts;
    this.fixed_digits = pyInt(fixed_digits);
    this.min = min === null ? null : this.num_convert(min);
    this.max = max === null ? null : this.num_convert(max);
    this.signed = Boolean(signed);
    if (this.signed) this.regex = `-?${this.regex}`;
  }

  /** Python's `int()` / `float()` of a value (Werkzeug's `num_convert`). */
  abstract num_convert(value: unknown): number;
  protected abstract format(value: number): string;

  override to_python(value: string): number {
    if (this.fixed_digits && [...value].length !== this.fixed_digits) throw new ValidationError();
    const n = this.num_convert(value);
    if ((this.min !== null && n < this.min) || (this.max !== null && n > this.max)) throw new ValidationError();
    return n;
  }

  override to_url(value: unknown): string {
    const text = this.format(this.num_convert(value));
    return this.fixed_digits ? zfill(text, this.fixed_digits) : text;
  }
}

/** Unsigned integers by default: `<int:page>`, `<int(fixed_digits=4, min=1, signed=True):n>`. */
export class IntegerConverter extends NumberConverter {
  override regex = "\\p{Nd}+";

  constructor(map: UrlMap, ...args: unknown[]) {
    super(map);
    this.configure(converterArgs("int", args, ["fixed_digits", "min", "max", "signed"]));
  }

  num_convert(value: unknown): number {
    return pyInt(value);
  }

  protected format(value: number): string {
    return pyStr(value);
  }
}

/** Unsigned floats with a decimal point: `<float:x>`, `<float(min=0.5, signed=True):x>`. */
export class FloatConverter extends NumberConverter {
  override regex = "\\p{Nd}+\\.\\p{Nd}+";

  constructor(map: UrlMap, ...args: unknown[]) {
    super(map);
    this.configure(converterArgs("float", args, ["min", "max", "signed"]));
  }

  num_convert(value: unknown): number {
    return pyFloat(value);
  }

  protected format(value: number): string {
    return pyFloatRepr(value);
  }
}

/** UUIDs in any case; `to_python` gives the canonical lower-case string. */
export class UUIDConverter extends BaseConverter {
  override part_isolating = true;
  override regex = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}";

  override to_python(value: string): string {
    return value.toLowerCase();
  }

  override to_url(value: unknown): string {
    return pyStr(value);
  }
}

/**
 * The converters every UrlMap starts with (Werkzeug's `DEFAULT_CONVERTERS`).
 *
 * @example
 * new UrlMap({ converters: { ...DEFAULT_CONVERTERS, list: ListConverter } });
 */
export const DEFAULT_CONVERTERS: Readonly<Record<string, ConverterClass>> = Object.freeze({
  default: UnicodeConverter,
  string: UnicodeConverter,
  any: AnyConverter,
  path: PathConverter,
  int: IntegerConverter,
  float: FloatConverter,
  uuid: UUIDConverter,
});

// Python's zfill keeps a leading sign in front of the padding.
function zfill(text: string, width: number): string {
  const sign = text.startsWith("-") || text.startsWith("+") ? text.slice(0, 1) : "";
  const body = sign ? text.slice(1) : text;
  return sign + body.padStart(width - sign.length, "0");
}

const ND = /\p{Nd}/u;
const ND_ALL = /\p{Nd}/gu;

// Unicode assigns decimal digits in runs of ten, 0 first, so a digit's value is its distance
// from the start of its run of consecutive digits, modulo 10.
function digitValue(ch: string): string {
  let cp = ch.codePointAt(0) ?? 0;
  if (cp < 128) return ch;
  let steps = 0;
  while (ND.test(String.fromCodePoint(cp - 1))) {
    cp--;
    steps++;
  }
  return String(steps % 10);
}

function asciiDigits(text: string): string {
  return text.replace(ND_ALL, digitValue);
}

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_RE = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*|\d+(?:_\d+)*\.)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * The common case on every request, a short run of ASCII digits (what the int converter
 * matched), as a number without the general parser's regexes; undefined for anything else.
 */
function plainDigits(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > 15) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

/** Python's `int(value)` for the values a URL or a rule can hold; throws as Python's ValueError. */
export function pyInt(value: unknown): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot convert float ${pyStr(value)} to integer`);
    return Math.trunc(value);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  const plain = plainDigits(value);
  if (plain !== undefined) return plain;
  const text = asciiDigits(String(value).trim());
  if (!INT_RE.test(text)) throw new RangeError(`invalid literal for int() with base 10: '${pyStr(value)}'`);
  return Number(text.replaceAll("_", ""));
}

/** Python's `float(value)`; throws as Python's ValueError. */
export function pyFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  const plain = plainDigits(value);
  if (plain !== undefined) return plain;
  const text = asciiDigits(String(value).trim());
  if (FLOAT_SPECIAL.test(text)) {
    const lower = text.toLowerCase();
    if (lower.endsWith("nan")) return NaN;
    return lower.startsWith("-") ? -Infinity : Infinity;
  }
  if (!FLOAT_RE.test(text)) throw new RangeError(`could not convert string to float: '${pyStr(value)}'`);
  return Number(text.replaceAll("_", ""));
}
