/**
 * Python's value-to-text rules for JS values: `str()`, `repr()`, `ascii()` and the repr of a
 * float, so that log lines, built URLs and error messages read exactly as Flask's do.
 *
 * Owns only the mapping from a JS value to Python's text for it (None/True/False, int vs float,
 * list and dict reprs, string quoting and escapes). Number formatting with a precision (`%.2f`,
 * `format(x, ".3g")`) is py-number-format.ts; no escaping for HTML here (markup.ts does that).
 */
import { inspect } from "node:util";

/** A plain object or Map: what Python code would see as a dict (and `%(name)s` looks up). */
export function isMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  if (value instanceof Map) return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python's type name for a JS value, for error messages that read like Python's. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "bigint") return "int";
  if (Array.isArray(value)) return "list";
  if (isMapping(value)) return "dict";
  return (value as object).constructor?.name ?? typeof value;
}

// Python's str.isprintable() is false for these categories; a space is the one printable Zs.
const NON_PRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hexEscape(code: number): string {
  const hex = code.toString(16);
  return code < 0x100 ? `\\x${hex.padStart(2, "0")}` : code < 0x10000 ? `\\u${hex.padStart(4, "0")}` : `\\U${hex.padStart(8, "0")}`;
}

/**
 * Python's `repr()` of a str: single quotes unless the text has `'` and no `"`, backslash
 * escapes for the quote, `\\`, `\n`, `\r`, `\t` and every non-printable character.
 *
 * @example
 * pyStrRepr("it's\n"); // `"it's\\n"`
 */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (NON_PRINTABLE_RE.test(ch)) out += hexEscape(code);
    else out += ch;
  }
  return out + quote;
}

/**
 * What Python's `ascii()` does to a repr: every non-ASCII character becomes `\xNN`, `\uNNNN`
 * or `\UNNNNNNNN`.
 *
 * @example
 * pyAscii(pyStrRepr("é")); // "'\\xe9'"
 */
export function pyAscii(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x00-\x7f]/gu, (ch) => hexEscape(ch.codePointAt(0) ?? 0));
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip, exponent form outside
 * 1e-4 <= |x| < 1e16, and always a `.0` on integral values (unlike {@link pyRepr} of a number,
 * which writes JS integers as Python ints).
 *
 * @example
 * pyFloatRepr(1);     // "1.0"
 * pyFloatRepr(1e-5);  // "1e-05"
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exp = "0"] = value.toExponential().split("e");
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, "0");
  return `${sign}${intPart}.${digits.slice(e + 1) || "0"}`;
}

function pyNumberRepr(value: number): string {
  // JS cannot tell 1.0 from 1: integral numbers print as the Python int a view would have had.
  return Number.isInteger(value) ? BigInt(value).toString() : pyFloatRepr(value);
}

/**
 * Python's `repr()` for JSON-like values (`'text'`, `None`, `True`, `3`, `0.5`, `[1, 'a']`,
 * `{'k': 1}`, a Map as a dict); anything else (class instances, functions, symbols) falls back
 * to `util.inspect`.
 *
 * @example
 * pyRepr(["a", null, 1.5]); // "['a', None, 1.5]"
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return pyStrRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumberRepr(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Map) {
    return `{${Array.from(value, ([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  if (isMapping(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  return inspect(value);
}

/**
 * Python's `str()` as Flask would see the value: strings as they are, `None`/`True`/`False`,
 * integral numbers as ints, an Error as its message, lists and dicts as their repr, other
 * objects through their own `toString()` (or `util.inspect` when they have none).
 *
 * @example
 * pyStr(true);    // "True"
 * pyStr(2.5);     // "2.5"
 * pyStr([1, 2]);  // "[1, 2]"
 */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return pyNumberRepr(value);
  if (value instanceof Error) return value.message;
  if (value === null || typeof value !== "object") return pyRepr(value);
  if (Array.isArray(value) || isMapping(value)) return pyRepr(value);
  const text = String(value);
  return text === "[object Object]" ? inspect(value) : text;
}
