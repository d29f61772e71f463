/**
 * The `%` operator of markupsafe's Markup (`Markup("<b>%s</b>") % value`): Python's printf-style
 * formatting where every argument is passed through an escaping hook first.
 *
 * Owns: parsing `%[(key)][flags][width][.precision]conversion` and laying out the result. The
 * caller (markup.ts) supplies `str`/`repr` hooks that return escaped text; numbers are formatted
 * here. Mirrors markupsafe's wrapper object: `%o %x %X %c` and `*` widths fail in markupsafe
 * (the wrapper is not an int), so they fail here too.
 */
import { formatExponent, formatFixed, formatGeneral, pyInt, pyFloat, PythonValueError } from "./py-number-format.js";

/** How the formatter turns one argument into (escaped) text. */
export interface PercentHooks {
  str(value: unknown): string;
  repr(value: unknown): string;
}

interface Spec {
  flags: string;
  width: number;
  precision: number | undefined;
}

/** A plain object or Map: the argument kind that `%(name)s` looks names up in. */
export function isMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  if (value instanceof Map) return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const CONVERSION_RE = /[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?([\s\S]?)/y;

/**
 * Formats `template % args` the way markupsafe does. `args` are the positional arguments (a
 * Python tuple); a single plain object or Map is the mapping for `%(name)s`.
 */
export function percentFormat(template: string, args: readonly unknown[], hooks: PercentHooks): string {
  const only = args.length === 1 ? args[0] : undefined;
  const mapping = args.length === 1 && isMapping(only) ? only : undefined;
  let next = 0;
  const nextArg = (): unknown => {
    if (next >= args.length) throw new PythonValueError("TypeError", "Markup.mod: not enough arguments for format string; pass one argument per %-conversion");
    return args[next++];
  };
  let out = "";
  let i = 0;
  while (i < template.length) {
    const percent = template.indexOf("%", i);
    if (percent < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, percent);
    i = percent + 1;
    let keyed: { value: unknown } | undefined;
    if (template[i] === "(") {
      if (!mapping) throw new PythonValueError("TypeError", "Markup.mod: %(name)s needs a single plain object (or Map) argument holding the names");
      const close = closingParen(template, i);
      const key = template.slice(i + 1, close);
      const found = mapping instanceof Map ? mapping.has(key) : Object.hasOwn(mapping, key);
      if (!found) throw new PythonValueError("KeyError", `Markup.mod: no value named '${key}' in the mapping argument`);
      keyed = { value: mapping instanceof Map ? mapping.get(key) : mapping[key] };
      i = close + 1;
    }
    CONVERSION_RE.lastIndex = i;
    const m = CONVERSION_RE.exec(template);
    const [whole = "", width = "", precision, conversion = ""] = m ?? [];
    i += whole.length;
    if (width === "*" || precision === "*") {
      throw new PythonValueError("TypeError", "Markup.mod: '*' width/precision is not supported (markupsafe rejects it); write the number into the template");
    }
    if (!conversion) throw new PythonValueError("ValueError", "Markup.mod: incomplete format: the template ends in the middle of a %-conversion");
    const flags = /^[-+ #0]*/.exec(whole)?.[0] ?? "";
    const spec: Spec = { flags, width: Number(width || 0), precision: precision === undefined ? undefined : Number(precision || 0) };
    if (conversion === "%") {
      out += "%";
      continue;
    }
    const take = (): unknown => (keyed ? keyed.value : nextArg());
    out += convert(conversion, take, spec, hooks, i - 1);
  }
  if (!mapping && next < args.length) {
    throw new PythonValueError("TypeError", "Markup.mod: not all arguments converted during string formatting; the template has fewer %-conversions than arguments");
  }
  return out;
}

function closingParen(template: string, open: number): number {
  let depth = 0;
  for (let j = open; j < template.length; j++) {
    if (template[j] === "(") depth++;
    else if (template[j] === ")" && --depth === 0) return j;
  }
  throw new PythonValueError("ValueError", "Markup.mod: incomplete format key: a '%(' has no closing ')'");
}

function convert(conversion: string, take: () => unknown, spec: Spec, hooks: PercentHooks, index: number): string {
  switch (conversion) {
    case "s":
    case "r":
    case "a": {
      const value = take();
      let text = conversion === "s" ? hooks.str(value) : hooks.repr(value);
      if (spec.precision !== undefined) text = [...text].slice(0, spec.precision).join("");
      return pad(text, spec);
    }
    case "d":
    case "i":
    case "u": {
      const n = pyInt(take());
      const digits = (n < 0n ? -n : n).toString();
      const body = spec.precision === undefined ? digits : digits.padStart(spec.precision, "0");
      return signed(body, n < 0n, spec);
    }
    case "f":
    case "F":
    case "e":
    case "E":
    case "g":
    case "G": {
      const x = pyFloat(take());
      const p = spec.precision ?? 6;
      const alt = spec.flags.includes("#");
      const upper = conversion === conversion.toUpperCase();
      const body = conversion === "f" || conversion === "F"
        ? formatFixed(x, p, alt)
        : conversion === "e" || conversion === "E" ? formatExponent(x, p, upper, alt) : formatGeneral(x, p, upper, alt);
      return signed(upper ? body.toUpperCase() : body, x < 0 || Object.is(x, -0), spec, Number.isFinite(x));
    }
    case "o":
    case "x":
    case "X":
    case "c":
      throw new PythonValueError("TypeError", `Markup.mod: %${conversion} is not supported (markupsafe rejects it: its argument wrapper is not an int); format the value first and pass it with %s`);
    default:
      throw new PythonValueError("ValueError", `Markup.mod: unsupported format character '${conversion}' (0x${(conversion.codePointAt(0) ?? 0).toString(16)}) at index ${index}; use %% for a literal percent sign`);
  }
}

function signed(body: string, negative: boolean, spec: Spec, zeroPad = true): string {
  const { flags } = spec;
  const sign = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  if (zeroPad && flags.includes("0") && !flags.includes("-")) {
    return sign + body.padStart(spec.width - sign.length, "0");
  }
  return pad(sign + body, spec);
}

function pad(text: string, spec: Spec): string {
  const missing = spec.width - [...text].length;
  if (missing <= 0) return text;
  return spec.flags.includes("-") ? text + " ".repeat(missing) : " ".repeat(missing) + text;
}
