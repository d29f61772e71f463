/**
 * Python's printf-style `%` formatting (`"%d apples" % (42,)`), one engine for both users:
 * logging applies it to a record's message and arguments with Python's own `str()`/`repr()`,
 * and Markup's `mod` (markup.ts) runs it with hooks that escape every argument.
 *
 * Owns the `%[(key)][flags][width][.precision][hlL]conversion` grammar, CPython's argument
 * bookkeeping (a tuple, a mapping, or the single value a `%(key)` picked) and Python's error
 * messages. How an argument becomes text or a number is the caller's, through
 * {@link PercentHooks}; digits for `%f %e %g` come from py-number-format.ts.
 */
import { formatExponent, formatFixed, formatGeneral, PythonValueError } from "./py-number-format.js";
import { pyAscii, pyRepr, pyStr, pyTypeName } from "./py-text.js";

/**
 * How the formatter turns one argument into text or a number. Markup passes hooks that escape;
 * {@link PYTHON_HOOKS} are plain Python.
 */
export interface PercentHooks {
  /** The text for `%s`. */
  str(value: unknown): string;
  /** The text for `%r` (and, ASCII-escaped, `%a`). */
  repr(value: unknown): string;
  /**
   * The number an argument stands for in `conversion`: `d i u` (Python's int()), `f F e E g G`
   * (float()), `x X o` (an integer only), `c` (a code point) or `*` (a width or precision).
   * Throws a {@link PythonValueError} when the argument cannot be one.
   */
  number(value: unknown, conversion: string): number | bigint;
}

const REAL = "fFeEgG";

function isInt(value: unknown): value is number | bigint | boolean {
  return typeof value === "bigint" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
}

/** Python's own conversions: `%d` of a str is a TypeError, `%x` of a float too. */
export const PYTHON_HOOKS: PercentHooks = {
  str: pyStr,
  repr: pyRepr,
  number(value, conversion) {
    if (conversion === "c") {
      if (typeof value === "string" && [...value].length === 1) return value.codePointAt(0) ?? 0;
      if (isInt(value)) return typeof value === "boolean" ? Number(value) : value;
      throw new PythonValueError("TypeError", "%c requires int or char");
    }
    if (conversion === "*") {
      if (isInt(value)) return typeof value === "boolean" ? Number(value) : value;
      throw new PythonValueError("TypeError", "* wants int");
    }
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "bigint") return value;
    if (typeof value === "number") {
      if ("xXo".includes(conversion) && !Number.isInteger(value)) {
        throw new PythonValueError("TypeError", `%${conversion} format: an integer is required, not float`);
      }
      return value;
    }
    if (REAL.includes(conversion)) throw new PythonValueError("TypeError", `must be real number, not ${pyTypeName(value)}`);
    const wanted = "xXo".includes(conversion) ? "an integer" : "a real number";
    throw new PythonValueError("TypeError", `%${conversion} format: ${wanted} is required, not ${pyTypeName(value)}`);
  },
};

interface Spec {
  flags: string;
  width: number;
  precision: number | undefined;
}

type Mapping = Record<string, unknown> | Map<unknown, unknown>;

const FLAGS_RE = /[-+ #0]*/y;
const DIGITS_RE = /\d*/y;

function readRun(re: RegExp, text: string, at: number): string {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? "";
}

/**
 * Formats like Python's `format % args`: an array is Python's tuple, a plain object or Map the
 * mapping for `%(key)s`. Supports `s r a d i u f F e E g G x X o c %`, the flags `#0- +`, `*`
 * widths and precisions; failures throw {@link PythonValueError} with Python's message.
 *
 * @example
 * percentFormat("A warning occurred (%d apples)", [42]); // "A warning occurred (42 apples)"
 * percentFormat("%(user)s logged in", { user: "ann" });   // "ann logged in"
 */
export function percentFormat(format: string, args: readonly unknown[] | Mapping, hooks: PercentHooks = PYTHON_HOOKS): string {
  const dict = Array.isArray(args) ? undefined : (args as Mapping);
  // CPython's formatter state: a non-tuple argument (a mapping, or the value a %(key) picked)
  // counts as one argument, used once.
  let current: unknown = args;
  let argLen = dict ? -1 : (args as readonly unknown[]).length;
  let argIdx = dict ? -2 : 0;
  const nextArg = (): unknown => {
    if (argIdx < argLen) {
      const idx = argIdx++;
      return argLen < 0 ? current : (current as readonly unknown[])[idx];
    }
    throw new PythonValueError("TypeError", "not enough arguments for format string");
  };
  const starArg = (): number => Number(hooks.number(nextArg(), "*"));
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
      if (!dict) throw new PythonValueError("TypeError", "format requires a mapping");
      const close = closingParen(format, i);
      const key = format.slice(i + 1, close);
      const found = dict instanceof Map ? dict.has(key) : Object.hasOwn(dict, key);
      if (!found) throw new PythonValueError("KeyError", pyRepr(key));
      current = dict instanceof Map ? dict.get(key) : dict[key];
      argLen = -1;
      argIdx = -2;
      i = close + 1;
    }
    let flags = readRun(FLAGS_RE, format, i);
    i += flags.length;
    let width: number;
    if (format[i] === "*") {
      width = starArg();
      if (width < 0) {
        flags += "-";
        width = -width;
      }
      i++;
    } else {
      const digits = readRun(DIGITS_RE, format, i);
      width = Number(digits || "0");
      i += digits.length;
    }
    let precision: number | undefined;
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        precision = Math.max(0, starArg());
        i++;
      } else {
        const digits = readRun(DIGITS_RE, format, i);
        precision = Number(digits || "0");
        i += digits.length;
      }
    }
    if (format[i] === "h" || format[i] === "l" || format[i] === "L") i++;
    const conversion = format[i];
    if (conversion === undefined) throw new PythonValueError("ValueError", "incomplete format");
    i++;
    if (conversion === "%") {
      out += "%";
      continue;
    }
    out += convert(conversion, nextArg, { flags, width, precision }, hooks, i - 1);
  }
  if (argIdx < argLen && !dict) {
    throw new PythonValueError("TypeError", "not all arguments converted during string formatting");
  }
  return out;
}

function closingParen(format: string, open: number): number {
  let depth = 0;
  for (let j = open; j < format.length; j++) {
    if (format[j] === "(") depth++;
    else if (format[j] === ")" && --depth === 0) return j;
  }
  throw new PythonValueError("ValueError", "incomplete format key");
}

function convert(conversion: string, take: () => unknown, spec: Spec, hooks: PercentHooks, index: number): string {
  switch (conversion) {
    case "s":
    case "r":
    case "a": {
      const value = take();
      let text = conversion === "s" ? hooks.str(value) : hooks.repr(value);
      if (conversion === "a") text = pyAscii(text);
      // Python counts code points, not UTF-16 units.
      if (spec.precision !== undefined) text = [...text].slice(0, spec.precision).join("");
      return pad(text, spec);
    }
    case "c": {
      const code = hooks.number(take(), "c");
      if (code < 0 || code > 0x10ffff) throw new PythonValueError("OverflowError", "%c arg not in range(0x110000)");
      return pad(String.fromCodePoint(Number(code)), spec);
    }
    case "d":
    case "i":
    case "u":
    case "x":
    case "X":
    case "o":
      return formatInteger(toBigInt(hooks.number(take(), conversion)), conversion, spec);
    case "f":
    case "F":
    case "e":
    case "E":
    case "g":
    case "G":
      return formatReal(Number(hooks.number(take(), conversion)), conversion, spec);
    default:
      throw new PythonValueError(
        "ValueError",
        `unsupported format character '${conversion}' (0x${(conversion.codePointAt(0) ?? 0).toString(16)}) at index ${index}`,
      );
  }
}

function toBigInt(n: number | bigint): bigint {
  if (typeof n === "bigint") return n;
  if (Number.isNaN(n)) throw new PythonValueError("ValueError", "cannot convert float NaN to integer");
  if (!Number.isFinite(n)) throw new PythonValueError("OverflowError", "cannot convert float infinity to integer");
  return BigInt(Math.trunc(n));
}

function formatInteger(n: bigint, conversion: string, spec: Spec): string {
  const radix = conversion === "x" || conversion === "X" ? 16 : conversion === "o" ? 8 : 10;
  let body = (n < 0n ? -n : n).toString(radix);
  if (conversion === "X") body = body.toUpperCase();
  if (spec.precision !== undefined) body = body.padStart(spec.precision, "0");
  const prefix = spec.flags.includes("#") && radix !== 10 ? `0${conversion === "o" ? "o" : conversion}` : "";
  return signed(prefix, body, n < 0n, spec);
}

function formatReal(x: number, conversion: string, spec: Spec): string {
  const precision = spec.precision ?? 6;
  const alt = spec.flags.includes("#");
  const upper = conversion === "F" || conversion === "E" || conversion === "G";
  const body = conversion === "f" || conversion === "F"
    ? formatFixed(x, precision, alt)
    : conversion === "e" || conversion === "E" ? formatExponent(x, precision, upper, alt) : formatGeneral(x, precision, upper, alt);
  return signed("", upper ? body.toUpperCase() : body, x < 0 || Object.is(x, -0), spec);
}

/** Sign, then `0x`/`0o` prefix, then the digits, zero-padded between prefix and digits by `0`. */
function signed(prefix: string, body: string, negative: boolean, spec: Spec): string {
  const { flags } = spec;
  const sign = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  if (flags.includes("0") && !flags.includes("-")) {
    return sign + prefix + body.padStart(spec.width - sign.length - prefix.length, "0");
  }
  return pad(sign + prefix + body, spec);
}

function pad(text: string, spec: Spec): string {
  if (spec.width === 0) return text;
  const missing = spec.width - [...text].length;
  if (missing <= 0) return text;
  return spec.flags.includes("-") ? text + " ".repeat(missing) : " ".repeat(missing) + text;
}
