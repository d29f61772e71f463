// URL quoting and Python value formatting for routing: Python's `urllib.parse.quote`,
// `quote_plus` and `urlencode`, plus `str()`/`repr()` of the values a view passes to url_for,
// so that built URLs are byte-identical to Werkzeug's. Pure string functions; no routing here.

/** Characters Werkzeug leaves unquoted in a URL path (the WHATWG path-segment set plus "/"). */
export const PATH_SAFE = "!$&'()*+,/:;=@";
/** Characters Werkzeug's `_urlencode` leaves unquoted in a query string. */
export const QUERY_SAFE = "!$'()*,/:;?@";

const HEX = "0123456789ABCDEF";
const ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function safeTable(safe: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const ch of ALWAYS_SAFE + safe) table[ch.charCodeAt(0)] = 1;
  return table;
}
const tables = new Map<string, Uint8Array>();

/**
 * Python's `urllib.parse.quote(value, safe)`: UTF-8, upper-case hex, unreserved characters
 * and `safe` kept as they are.
 *
 * @example
 * quote("John Doe/ä", PATH_SAFE) // "John%20Doe/%C3%A4"
 */
export function quote(value: string, safe: string = "/"): string {
  let table = tables.get(safe);
  if (table === undefined) tables.set(safe, (table = safeTable(safe)));
  // Fast path: most path segments need no quoting at all.
  let clean = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) {
      clean = false;
      break;
    }
  }
  if (clean) return value;
  if (LONE_SURROGATE.test(value)) {
    throw new TypeError(`Cannot quote ${JSON.stringify(value)}: it contains a lone UTF-16 surrogate, which has no UTF-8 form.`);
  }
  let out = "";
  for (const byte of encoder.encode(value)) {
    out += byte < 128 && table[byte] === 1 ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** Python's `quote_plus`: like {@link quote} but a space becomes "+". */
export function quotePlus(value: string, safe: string = ""): string {
  if (!value.includes(" ")) return quote(value, safe);
  return quote(value, safe + " ").replaceAll(" ", "+");
}

/**
 * Werkzeug's `_urlencode` of `(key, value)` pairs: null/undefined values dropped, everything
 * else through Python's `str()` and {@link quotePlus} with {@link QUERY_SAFE}.
 *
 * @example
 * urlencode([["q", "a b"], ["page", 2]]) // "q=a+b&page=2"
 */
export function urlencode(items: Iterable<readonly [string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of items) {
    if (value === null || value === undefined) continue;
    parts.push(`${quotePlus(key, QUERY_SAFE)}=${quotePlus(pyStr(value), QUERY_SAFE)}`);
  }
  return parts.join("&");
}

/**
 * Python's `str()` of a JavaScript value as Flask would see it: booleans are `True`/`False`,
 * integral numbers are ints, other numbers are floats (`repr` style), null is `None`.
 */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "True" : "False";
    case "number":
      if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
      return pyFloatRepr(value);
    case "bigint":
      return value.toString();
    case "undefined":
      return "None";
    default:
      if (value === null) return "None";
      return String(value);
  }
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
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
    const absExp = String(Math.abs(e)).padStart(2, "0");
    return `${sign}${m}e${e < 0 ? "-" : "+"}${absExp}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const frac = digits.slice(e + 1) || "0";
  return `${sign}${intPart}.${frac}`;
}

/** Python's `repr(str)`, for error messages that quote endpoints and values as Werkzeug does. */
export function pyRepr(value: string): string {
  const quoteChar = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quoteChar) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return quoteChar + out + quoteChar;
}

/** Python's `repr(list_of_str)`, e.g. `['a', 'b']`. */
export function pyReprList(values: Iterable<string>): string {
  return `[${[...values].map(pyRepr).join(", ")}]`;
}
