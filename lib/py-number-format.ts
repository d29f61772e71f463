/**
 * Python's number-to-text rules for `%f`/`%e`/`%g` and `format(x, ".2f")`, computed exactly.
 *
 * Owns: correctly rounded fixed, exponent and general notation (ties to even on the exact binary
 * value, as CPython does; JS's toFixed rounds ties up and gives up past 1e21), digit grouping,
 * and Python's int()/float() parsing of strings. Knows nothing of markup or escaping.
 */

/** Python's str.isspace() characters, as a regex class body. */
export const PY_WHITESPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

const TRIM_RE = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, "g");
const INT_RE = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_RE = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?|\d+(?:_\d+)*\.|inf|infinity|nan)$/i;

/** An error Python would raise, named by its Python class (`TypeError`, `ValueError`...). */
export class PythonValueError extends Error {
  override name = "PythonValueError";
  constructor(
    readonly kind: "TypeError" | "ValueError" | "KeyError" | "IndexError" | "OverflowError",
    message: string,
  ) {
    super(message);
  }
}

/** Python's int(value) for the values a JS caller passes: numbers truncate, strings parse. */
export function pyInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new PythonValueError("ValueError", `cannot convert float ${value} to integer`);
    return BigInt(Math.trunc(value));
  }
  const text = String(value).replace(TRIM_RE, "");
  if ((typeof value === "string" || isStringLike(value)) && INT_RE.test(text)) return BigInt(text.replaceAll("_", ""));
  throw new PythonValueError("ValueError", `invalid literal for int() with base 10: '${String(value)}'`);
}

/** Python's float(value): numbers as they are, strings parsed with Python's syntax. */
export function pyFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = String(value).replace(TRIM_RE, "");
  if ((typeof value === "string" || isStringLike(value)) && FLOAT_RE.test(text)) {
    const lower = text.toLowerCase().replaceAll("_", "");
    if (lower.endsWith("nan")) return NaN;
    if (lower.endsWith("inf") || lower.endsWith("infinity")) return lower.startsWith("-") ? -Infinity : Infinity;
    return Number(lower);
  }
  throw new PythonValueError("ValueError", `could not convert string to float: '${String(value)}'`);
}

function isStringLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { __html__?: unknown }).__html__ === "function";
}

/** round-half-even(|x| * 10^places) as an integer, from the exact binary value of x. */
function scaledDigits(x: number, places: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased !== 0) mantissa |= 1n << 52n;
  const exp2 = (biased === 0 ? 1 : biased) - 1075;
  let num = mantissa * (exp2 > 0 ? 2n ** BigInt(exp2) : 1n);
  let den = exp2 < 0 ? 2n ** BigInt(-exp2) : 1n;
  if (places >= 0) num *= 10n ** BigInt(places);
  else den *= 10n ** BigInt(-places);
  const q = num / den;
  const twice = (num % den) * 2n;
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return "inf";
  return undefined;
}

/** |x| in fixed notation with `precision` decimals (Python's `%.Nf` without the sign). */
export function formatFixed(x: number, precision: number, alt = false): string {
  const s = special(x);
  if (s) return s;
  const digits = scaledDigits(x, precision).toString().padStart(precision + 1, "0");
  if (precision === 0) return alt ? `${digits}.` : digits;
  return `${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
}

/** The decimal digits and exponent of |x| rounded to `precision + 1` significant digits. */
function exponentParts(x: number, precision: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: "0".repeat(precision + 1), exponent: 0 };
  let exponent = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const digits = scaledDigits(x, precision - exponent).toString();
    // log10 can be off by one near powers of ten; the exact digit count settles it.
    if (digits.length > precision + 1) exponent += 1;
    else if (digits.length < precision + 1) exponent -= 1;
    else return { digits, exponent };
  }
}

/** |x| in exponent notation (Python's `%.Ne`, two-digit exponent at least). */
export function formatExponent(x: number, precision: number, upper = false, alt = false): string {
  const s = special(x);
  if (s) return upper ? s.toUpperCase() : s;
  const { digits, exponent } = exponentParts(x, precision);
  const point = precision > 0 || alt ? "." : "";
  const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${digits[0] ?? "0"}${point}${digits.slice(1)}${upper ? "E" : "e"}${e}`;
}

/** |x| in general notation (Python's `%.Ng`): fixed or exponent by magnitude, zeros trimmed. */
export function formatGeneral(x: number, precision: number, upper = false, alt = false): string {
  const s = special(x);
  if (s) return upper ? s.toUpperCase() : s;
  const p = precision === 0 ? 1 : precision;
  const { exponent } = exponentParts(x, p - 1);
  let text = exponent >= -4 && exponent < p
    ? formatFixed(x, p - 1 - exponent, alt)
    : formatExponent(x, p - 1, upper, alt);
  if (!alt) {
    const [mantissa = "", tail = ""] = text.split(/(?=[eE])/);
    text = (mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa) + tail;
  }
  return text;
}

/**
 * |x| for format(x, ".N") with no type: general notation, but exponent notation from
 * exp >= N - 1 and at least one decimal kept in fixed notation.
 */
export function formatNoType(x: number, precision: number, alt = false): string {
  const s = special(x);
  if (s) return s;
  const p = precision === 0 ? 1 : precision;
  const { exponent } = exponentParts(x, p - 1);
  if (exponent >= -4 && exponent < p - 1) {
    const text = formatFixed(x, p - 1 - exponent, alt);
    return alt ? text : text.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ".0");
  }
  const text = formatExponent(x, p - 1, false, alt);
  return alt ? text : text.replace(/\.?0+(?=e)/, "");
}

/** Inserts `sep` every `every` digits from the right of the integer part of `digits`. */
export function groupDigits(digits: string, sep: string, every = 3): string {
  const point = digits.search(/[.eE%]/);
  const whole = point < 0 ? digits : digits.slice(0, point);
  const rest = point < 0 ? "" : digits.slice(point);
  let out = "";
  for (let i = whole.length; i > 0; i -= every) {
    out = whole.slice(Math.max(0, i - every), i) + (out ? sep + out : "");
  }
  return out + rest;
}
