/**
 * `Markup.format()`: Python's str.format (`"{0} {name!r:>10}"`) as markupsafe's EscapeFormatter
 * runs it, with each replacement field passed through an escaping hook.
 *
 * Owns: the replacement-field grammar (auto/manual numbering, `.attr` and `[key]` lookups,
 * `!s !r !a` conversions, nested `{}` in format specs) and the format-spec mini-language for
 * strings and numbers. markup.ts owns what counts as safe and how values are escaped.
 */
import {
  formatExponent, formatFixed, formatGeneral, formatNoType, groupDigits, pyInt, PythonValueError,
} from "./py-number-format.js";

/** What the formatter asks of markup.ts for one replacement field. */
export interface FormatHooks {
  /** Python's repr() of a value (for `!r`/`!a`). */
  repr(value: unknown, ascii: boolean): string;
  /** EscapeFormatter.format_field: format `value` with `spec` and return escaped text. */
  field(value: unknown, spec: string): string;
}

interface State {
  auto: number | undefined;
  manual: boolean;
}

/** Formats `template` with positional `args` and keyword `kwargs`, Python's way. */
export function braceFormat(template: string, args: readonly unknown[], kwargs: Record<string, unknown>, hooks: FormatHooks): string {
  return render(template, args, kwargs, hooks, { auto: 0, manual: false }, 2);
}

function render(template: string, args: readonly unknown[], kwargs: Record<string, unknown>, hooks: FormatHooks, state: State, depth: number): string {
  if (depth < 0) throw new PythonValueError("ValueError", "Markup.format: Max string recursion exceeded; nest replacement fields at most two deep");
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === "}" || ch === "{") {
      if (template[i + 1] === ch) {
        out += ch;
        i += 2;
        continue;
      }
      if (ch === "}") throw new PythonValueError("ValueError", "Markup.format: Single '}' encountered in format string; write '}}' for a literal brace");
      const end = fieldEnd(template, i + 1);
      const { name, conversion, spec } = splitField(template.slice(i + 1, end));
      let value = lookup(name, args, kwargs, state);
      if (conversion !== undefined) value = convert(value, conversion, hooks);
      const expandedSpec = render(spec, args, kwargs, hooks, state, depth - 1);
      out += hooks.field(value, expandedSpec);
      i = end + 1;
      continue;
    }
    const next = template.slice(i).search(/[{}]/);
    const stop = next < 0 ? template.length : i + next;
    out += template.slice(i, stop);
    i = stop;
  }
  return out;
}

/** Index of the `}` closing the field that starts at `start` (braces nest, `[...]` is opaque). */
function fieldEnd(template: string, start: number): number {
  let depth = 1;
  let inBracket = false;
  for (let j = start; j < template.length; j++) {
    const c = template[j];
    if (inBracket) inBracket = c !== "]";
    else if (c === "[") inBracket = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return j;
  }
  throw new PythonValueError("ValueError", "Markup.format: expected '}' before end of string; close every replacement field");
}

function splitField(field: string): { name: string; conversion: string | undefined; spec: string } {
  let j = 0;
  let inBracket = false;
  for (; j < field.length; j++) {
    const c = field[j];
    if (inBracket) inBracket = c !== "]";
    else if (c === "[") inBracket = true;
    else if (c === "!" || c === ":") break;
  }
  const name = field.slice(0, j);
  if (field[j] === "!") {
    const conversion = field[j + 1] ?? "";
    if (field[j + 2] !== undefined && field[j + 2] !== ":") {
      throw new PythonValueError("ValueError", "Markup.format: expected ':' after conversion specifier");
    }
    return { name, conversion, spec: field.slice(j + 3) };
  }
  return { name, conversion: undefined, spec: field[j] === ":" ? field.slice(j + 1) : "" };
}

function lookup(name: string, args: readonly unknown[], kwargs: Record<string, unknown>, state: State): unknown {
  const first = /^[^.[]*/.exec(name)?.[0] ?? "";
  let value: unknown;
  if (first === "") {
    if (state.manual) throw new PythonValueError("ValueError", "Markup.format: cannot switch from manual field specification to automatic field numbering");
    value = positional(args, state.auto ?? 0);
    state.auto = (state.auto ?? 0) + 1;
  } else if (/^\d+$/.test(first)) {
    if (state.auto !== 0 && state.auto !== undefined) {
      throw new PythonValueError("ValueError", "Markup.format: cannot switch from automatic field numbering to manual field specification");
    }
    state.manual = true;
    state.auto = undefined;
    value = positional(args, Number(first));
  } else {
    if (!Object.hasOwn(kwargs, first)) throw new PythonValueError("KeyError", `Markup.format: no keyword argument '${first}'; pass it in the trailing object`);
    value = kwargs[first];
  }
  const rest = /\.([^.[]+)|\[([^\]]+)\]/gy;
  rest.lastIndex = first.length;
  for (let m = rest.exec(name); m; m = rest.exec(name)) {
    const key = m[1] ?? m[2] ?? "";
    const container = value as Record<string, unknown> | null | undefined;
    const has = container !== null && container !== undefined && key in Object(container);
    if (!has) {
      throw new PythonValueError(m[1] === undefined ? "KeyError" : "ValueError", `Markup.format: '${name}' has no ${m[1] === undefined ? `item [${key}]` : `attribute .${key}`}`);
    }
    value = container[key];
    if (rest.lastIndex === name.length) break;
  }
  return value;
}

function positional(args: readonly unknown[], index: number): unknown {
  if (index >= args.length) {
    throw new PythonValueError("IndexError", `Markup.format: Replacement index ${index} out of range for positional args tuple; pass more arguments`);
  }
  return args[index];
}

function convert(value: unknown, conversion: string, hooks: FormatHooks): string {
  if (conversion === "s") return String(value);
  if (conversion === "r" || conversion === "a") return hooks.repr(value, conversion === "a");
  throw new PythonValueError("ValueError", `Markup.format: Unknown conversion specifier ${conversion}; use !s, !r or !a`);
}

const SPEC_RE = /^(?:([\s\S])?([<>=^]))?([-+ ])?z?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/u;

/** Python's format(value, spec) for strings, numbers and bigints; other values format as strings. */
export function formatValue(value: unknown, spec: string): string {
  if (spec === "") return String(value);
  const m = SPEC_RE.exec(spec);
  if (!m) throw new PythonValueError("ValueError", `Markup.format: Invalid format specifier '${spec}'`);
  const [, fill, align, sign = "-", alt, zero, width, grouping, precision, type = ""] = m;
  const p = precision === undefined ? undefined : Number(precision);
  const numeric = typeof value === "number" || typeof value === "bigint" || typeof value === "boolean";
  let body: string;
  let prefix = "";
  if (!numeric) {
    if (type !== "" && type !== "s") throw new PythonValueError("ValueError", `Markup.format: Unknown format code '${type}' for object of type 'str'`);
    body = p === undefined ? String(value) : [...String(value)].slice(0, p).join("");
  } else {
    const integral = typeof value !== "number" || (Number.isInteger(value) && (type === "" ? p === undefined : "bcdoxXn".includes(type)));
    let negative: boolean;
    if (integral && !"eEfFgG%".includes(type || "d")) {
      const n = pyInt(value);
      negative = n < 0n;
      const abs = negative ? -n : n;
      const radix = type === "b" ? 2 : type === "o" ? 8 : type === "x" || type === "X" ? 16 : 10;
      body = type === "c" ? String.fromCodePoint(Number(abs)) : abs.toString(radix);
      if (type === "X") body = body.toUpperCase();
      if (alt && radix !== 10) prefix = `0${type === "X" ? "X" : type || "d"}`;
      if (grouping) body = groupDigits(body, grouping, radix === 10 ? 3 : 4);
    } else {
      const x = Number(value);
      negative = x < 0 || Object.is(x, -0);
      body = floatBody(x, type, p, Boolean(alt));
      if (grouping && Number.isFinite(x)) body = groupDigits(body, grouping);
    }
    prefix = (negative ? "-" : sign === "-" ? "" : sign) + prefix;
  }
  const defaultAlign = numeric ? ">" : "<";
  const padFill = fill ?? (zero ? "0" : " ");
  const padAlign = align ?? (zero && numeric ? "=" : defaultAlign);
  return align_(prefix, body, padFill, padAlign, Number(width ?? 0));
}

function floatBody(x: number, type: string, precision: number | undefined, alt: boolean): string {
  const upper = type === "F" || type === "E" || type === "G";
  switch (type) {
    case "f": case "F": return formatFixed(x, precision ?? 6, alt)[upper ? "toUpperCase" : "toString"]();
    case "e": case "E": return formatExponent(x, precision ?? 6, upper, alt);
    case "g": case "G": case "n": return formatGeneral(x, precision ?? 6, upper, alt);
    case "%": return `${formatFixed(x * 100, precision ?? 6, alt)}%`;
    default:
      if (precision !== undefined) return formatNoType(x, precision, alt);
      return Number.isFinite(x) ? String(Math.abs(x)) : formatFixed(x, 0);
  }
}

function align_(prefix: string, body: string, fill: string, align: string, width: number): string {
  const missing = width - [...prefix].length - [...body].length;
  if (missing <= 0) return prefix + body;
  if (align === "=") return prefix + fill.repeat(missing) + body;
  if (align === "<") return prefix + body + fill.repeat(missing);
  if (align === ">") return fill.repeat(missing) + prefix + body;
  const left = Math.floor(missing / 2);
  return fill.repeat(left) + prefix + body + fill.repeat(missing - left);
}
