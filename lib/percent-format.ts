/**
 * Python's printf-style `%` string formatting (`"%d apples" % (42,)`), as Python's logging applies
 * it to a record's message and arguments, plus Python's `str()`/`repr()` for JSON-like values.
 *
 * Owns only string formatting: no IO, no logging state. The logging module (logging.ts) decides
 * when formatting happens and what to do when it fails.
 */
import { inspect } from "node:util";

/** The Python exception a formatting failure corresponds to (Python raises one of these). */
export type PercentFormatErrorKind = "TypeError" | "ValueError" | "KeyError" | "OverflowError";

/**
 * Thrown when a format string and its arguments do not fit together. `message` is Python's own
 * message for the same mistake, `kind` the Python exception class it would raise.
 */
export class PercentFormatError extends TypeError {
  override name = "PercentFormatError";
  constructor(
    readonly kind: PercentFormatErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A plain object or Map: what `%(name)s` looks its keys up in. */
export function isMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  if (value instanceof Map) return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python's type name for a JS value, for error messages that read like Python's. */
function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "bigint") return "int";
  if (Array.isArray(value)) return "list";
  if (isMapping(value)) return "dict";
  return (value as object).constructor?.name ?? typeof value;
}

/** Python's repr() of a float, which switches to exponent notation outside 1e-4 <= |x| < 1e16. */
function pyFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  // JS cannot tell 1.0 from 1: integral numbers print as Python ints do.
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa = "", exp = "0"] = value.toExponential().split("e");
  const exponent = Number(exp);
  if (exponent >= -4 && exponent < 16) return String(value);
  return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's repr() for JSON-like values (`'text'`, `None`, `True`, `[1, 'a']`, `{'k': 1}`);
 * anything else (class instances, functions, symbols) falls back to `util.inspect`.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return pyStringRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyFloat(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  if (isMapping(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  return inspect(value);
}

/** Python's str(): strings as they are, an Error as its message, containers as their repr. */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  if (value === null || value === undefined || typeof value !== "object") return pyRepr(value);
  if (Array.isArray(value) || isMapping(value)) return pyRepr(value);
  const text = String(value);
  return text === "[object Object]" ? inspect(value) : text;
}

/** Rounds like Python's `%.Nf`: exact ties go to the even digit (JS's toFixed rounds them up). */
function toFixedHalfEven(value: number, digits: number): string {
  // toFixed switches to exponent notation from 1e21; such doubles are all integers.
  if (Math.abs(value) >= 1e21) return BigInt(value).toString() + (digits > 0 ? `.${"0".repeat(digits)}` : "");
  const rounded = value.toFixed(digits);
  if (digits + 1 > 100) return rounded;
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf(".");
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = (value < 0 ? "-" : "") + exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(truncated.replace(/\D/g, "").slice(-1));
  return lastDigit % 2 === 0 ? truncated : rounded;
}

function exponential(value: number, precision: number, upper: boolean): string {
  const [mantissa = "", exp = "0"] = value.toExponential(precision).split("e");
  const n = Number(exp);
  const text = `${mantissa}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  return upper ? text.toUpperCase() : text;
}

function general(value: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const exp = Number(value.toExponential(p - 1).split("e")[1]);
  let text = exp >= -4 && exp < p ? toFixedHalfEven(value, p - 1 - exp) : exponential(value, p - 1, upper);
  if (alt) return text;
  const [mantissa = "", exponent] = text.split(/(?=[eE])/);
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return trimmed + (exponent ?? "");
}

interface Spec {
  flags: string;
  width: number;
  precision: number | undefined;
  conversion: string;
}

function toNumber(value: unknown, conversion: string, integerOnly: boolean): number | bigint {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (integerOnly && !Number.isInteger(value)) {
      throw new PercentFormatError("TypeError", `%${conversion} format: an integer is required, not float`);
    }
    return value;
  }
  if (conversion === "f" || conversion === "F" || "eEgG".includes(conversion)) {
    throw new PercentFormatError("TypeError", `must be real number, not ${pyTypeName(value)}`);
  }
  const wanted = integerOnly ? "an integer" : "a real number";
  throw new PercentFormatError("TypeError", `%${conversion} format: ${wanted} is required, not ${pyTypeName(value)}`);
}

function formatNumber(value: unknown, spec: Spec): string {
  const { conversion: c, flags } = spec;
  const integral = "dixXo".includes(c) || c === "u";
  const n = toNumber(value, c, "xXo".includes(c));
  let body: string;
  let negative: boolean;
  if (integral) {
    if (typeof n === "number" && Number.isNaN(n)) {
      throw new PercentFormatError("ValueError", "cannot convert float NaN to integer");
    }
    if (typeof n === "number" && !Number.isFinite(n)) {
      throw new PercentFormatError("OverflowError", "cannot convert float infinity to integer");
    }
    const big = typeof n === "bigint" ? n : BigInt(Math.trunc(n));
    negative = big < 0n;
    const abs = negative ? -big : big;
    const radix = c === "x" || c === "X" ? 16 : c === "o" ? 8 : 10;
    body = abs.toString(radix);
    if (c === "X") body = body.toUpperCase();
    if (spec.precision !== undefined) body = body.padStart(spec.precision, "0");
    if (flags.includes("#") && radix !== 10) body = `0${c === "o" ? "o" : c}${body}`;
  } else {
    const x = Number(n);
    negative = x < 0 || Object.is(x, -0);
    const abs = Math.abs(x);
    const precision = spec.precision ?? 6;
    if (!Number.isFinite(abs)) body = Number.isNaN(abs) ? "nan" : "inf";
    else if (c === "f" || c === "F") body = toFixedHalfEven(abs, precision);
    else if (c === "e" || c === "E") body = exponential(abs, precision, c === "E");
    else body = general(abs, precision, flags.includes("#"), c === "G");
    if (c === "F" || c === "E" || c === "G") body = body.toUpperCase();
  }
  const sign = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  if (flags.includes("0") && !flags.includes("-")) {
    const prefix = body.match(/^0[xXo]/)?.[0] ?? "";
    return sign + prefix + body.slice(prefix.length).padStart(spec.width - sign.length - prefix.length, "0");
  }
  return pad(sign + body, spec);
}

function pad(text: string, spec: Spec): string {
  return spec.flags.includes("-") ? text.padEnd(spec.width) : text.padStart(spec.width);
}

/**
 * Formats like Python's `format % args`: `args` is an array (Python's tuple) or a mapping used
 * for `%(key)s` conversions. Supports `s r d i u f F e E g G x X o %`, the flags `#0- +`, width
 * and precision; errors carry Python's messages.
 *
 * @example
 * percentFormat("A warning occurred (%d apples)", [42]); // "A warning occurred (42 apples)"
 * percentFormat("%(user)s logged in", { user: "ann" });   // "ann logged in"
 */
export function percentFormat(format: string, args: readonly unknown[] | Record<string, unknown> | Map<unknown, unknown>): string {
  const dict = Array.isArray(args) ? undefined : (args as Record<string, unknown> | Map<unknown, unknown>);
  // Mirrors CPython's formatter state: a non-tuple argument is "used" once, then exhausted.
  let current: unknown = args;
  let argLen = dict ? -1 : (args as readonly unknown[]).length;
  let argIdx = dict ? -2 : 0;
  const nextArg = (): unknown => {
    if (argIdx < argLen) {
      const idx = argIdx++;
      return argLen < 0 ? current : (current as readonly unknown[])[idx];
    }
    throw new PercentFormatError("TypeError", "not enough arguments for format string");
  };
  let out = "";
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf("%", i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    if (format[i] === "(") {
      if (!dict) throw new PercentFormatError("TypeError", "format requires a mapping");
      let depth = 1;
      const start = ++i;
      while (i < format.length && depth > 0) {
        if (format[i] === "(") depth++;
        else if (format[i] === ")") depth--;
        i++;
      }
      if (depth > 0) throw new PercentFormatError("ValueError", "incomplete format key");
      const key = format.slice(start, i - 1);
      const found = dict instanceof Map ? dict.has(key) : Object.hasOwn(dict, key);
      if (!found) throw new PercentFormatError("KeyError", pyRepr(key));
      current = dict instanceof Map ? dict.get(key) : dict[key];
      argLen = -1;
      argIdx = -2;
    }
    const flagsMatch = /^[-+ #0]*/.exec(format.slice(i))?.[0] ?? "";
    i += flagsMatch.length;
    const widthMatch = /^\d*/.exec(format.slice(i))?.[0] ?? "";
    i += widthMatch.length;
    let precision: number | undefined;
    if (format[i] === ".") {
      const digits = /^\d*/.exec(format.slice(i + 1))?.[0] ?? "";
      precision = Number(digits || "0");
      i += 1 + digits.length;
    }
    while (format[i] === "h" || format[i] === "l" || format[i] === "L") i++;
    const conversion = format[i];
    if (conversion === undefined) throw new PercentFormatError("ValueError", "incomplete format");
    const spec: Spec = { flags: flagsMatch, width: Number(widthMatch || "0"), precision, conversion };
    i++;
    if (conversion === "%") {
      out += "%";
      continue;
    }
    if (conversion === "s" || conversion === "r") {
      let text = conversion === "s" ? pyStr(nextArg()) : pyRepr(nextArg());
      if (precision !== undefined) text = text.slice(0, precision);
      out += pad(text, spec);
    } else if ("diuxXoeEfFgG".includes(conversion)) {
      out += formatNumber(nextArg(), spec);
    } else {
      const code = conversion.codePointAt(0) ?? 0;
      throw new PercentFormatError(
        "ValueError",
        `unsupported format character '${conversion}' (0x${code.toString(16)}) at index ${i - 1}`,
      );
    }
  }
  if (argIdx < argLen && !dict) {
    throw new PercentFormatError("TypeError", "not all arguments converted during string formatting");
  }
  return out;
}
