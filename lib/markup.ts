/**
 * markupsafe for flaskish: `escape`, `escape_silent`, `soft_str` and the `Markup` string that is
 * known to be safe HTML. Templates, flash messages and error pages rely on these to decide what
 * gets escaped.
 *
 * Owns: what counts as safe (a Markup, or any object with `__html__()`), the five escaped
 * characters, and the Markup operations that escape their arguments. The `%` and `{}` formatting
 * engines live in percent-format.ts and markup-format.ts, entity decoding in html-unescape.ts.
 */
import { html_unescape } from "./html-unescape.js";
import { braceFormat, formatValue } from "./markup-format.js";
import { percentFormat, type PercentHooks } from "./percent-format.js";
import { PY_WHITESPACE, pyFloat, pyInt, PythonValueError } from "./py-number-format.js";
import { isMapping, pyAscii, pyStrRepr } from "./py-text.js";

/** Any object that renders itself as trusted HTML (markupsafe's `__html__` protocol). */
export interface HasHTML {
  __html__(): string | Markup;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;" };
const SPECIAL_RE = /[&<>'"]/g;
const WS = `[${PY_WHITESPACE}]`;
const WS_RUN_RE = new RegExp(`${WS}+`, "g");
const WS_CHAR_RE = new RegExp(`^${WS}$`);
const LINE_BREAK_RE = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

function hasHTML(value: unknown): value is HasHTML {
  return (typeof value === "object" || typeof value === "function") && value !== null
    && typeof (value as { __html__?: unknown }).__html__ === "function";
}

function escapeText(text: string): string {
  SPECIAL_RE.lastIndex = 0;
  return SPECIAL_RE.test(text) ? text.replace(SPECIAL_RE, (c) => ESCAPES[c] ?? c) : text;
}

/**
 * Escapes `&`, `<`, `>`, `'` and `"` (as `&#39;` and `&#34;`, like markupsafe) and returns the
 * result as Markup. A Markup, or any object with `__html__()`, is trusted and not escaped again.
 * Other values go through JS string conversion first: `escape(42)` is `"42"`, and
 * `escape(null)` / `escape(undefined)` are `"null"` / `"undefined"` (markupsafe gives
 * `"None"`); use {@link escape_silent} to turn them into an empty string.
 *
 * @example
 * `Hello, ${escape("<Bob>")}!`; // "Hello, &lt;Bob&gt;!"
 * escape(new Markup("<b>ok</b>")).toString(); // "<b>ok</b>"
 */
export function escape(value: unknown): Markup {
  if (typeof value === "string") return new Markup(escapeText(value));
  if (hasHTML(value)) return new Markup(value.__html__());
  return new Markup(escapeText(String(value)));
}

/**
 * Like {@link escape}, but `null` and `undefined` become an empty Markup (markupsafe's `None`).
 *
 * @example
 * escape_silent(undefined).toString(); // ""
 */
export function escape_silent(value: unknown): Markup {
  return value === null || value === undefined ? new Markup("") : escape(value);
}

/**
 * Converts a value to a string unless it is already a string or a Markup, so safe text stays
 * marked safe and is not escaped twice.
 *
 * @example
 * escape(soft_str(escape("<User 1>"))).toString(); // "&lt;User 1&gt;"
 */
export function soft_str(value: unknown): string | Markup {
  return typeof value === "string" || value instanceof Markup ? value : String(value);
}

function reprOf(value: unknown, ascii = false): string {
  let text: string;
  if (value instanceof Markup) text = `${value.constructor.name}(${pyStrRepr(value.toString())})`;
  else if (typeof value === "string") text = pyStrRepr(value);
  else text = String(value);
  return ascii ? pyAscii(text) : text;
}

/**
 * The numbers behind `%d`/`%f` of markupsafe's argument wrapper: it has `__int__` and
 * `__float__` (so strings parse) but no `__index__`, so `%x %X %o %c` and `*` fail.
 */
function markupNumber(value: unknown, conversion: string): number | bigint {
  if (conversion === "d" || conversion === "i" || conversion === "u") return pyInt(value);
  if ("fFeEgG".includes(conversion)) return pyFloat(value);
  if (conversion === "*") {
    throw new PythonValueError("TypeError", "Markup.mod: '*' width/precision is not supported (markupsafe rejects it); write the number into the template");
  }
  throw new PythonValueError("TypeError", `Markup.mod: %${conversion} is not supported (markupsafe rejects it: its argument wrapper is not an int); format the value first and pass it with %s`);
}

/**
 * A string of trusted HTML (markupsafe's `Markup`). `new Markup(text)` marks `text` safe as it is;
 * `Markup.escape(text)` escapes it first. Operations that take other text (`mod`, `format`,
 * `concat`, `join`, `replace`) escape that text unless it is itself Markup or has `__html__()`.
 *
 * Markup is an object, not a primitive: `${m}`, `String(m)`, `m.length` and `JSON.stringify(m)`
 * all see the text, and `m instanceof Markup` tells it is safe. JS `+` cannot be overloaded, so
 * `m + "<x>"` is a plain, unescaped string: use `m.concat("<x>")` (Python's `Markup + str`).
 *
 * @example
 * new Markup("<strong>Hello %s!</strong>").mod("<blink>hacker</blink>").toString();
 * // "<strong>Hello &lt;blink&gt;hacker&lt;/blink&gt;!</strong>"
 * new Markup("<em>Marked up</em> &raquo; HTML").striptags(); // "Marked up » HTML"
 */
export class Markup implements HasHTML {
  readonly #text: string;

  /** Marks `value` as safe without escaping it (an `__html__()` object gives its HTML). */
  constructor(value: unknown = "") {
    this.#text = hasHTML(value) ? String(value.__html__()) : String(value);
  }

  /**
   * Escapes `value` and returns the result as this Markup class.
   *
   * @example
   * Markup.escape("<b>").toString();   // "&lt;b&gt;"
   * Markup.escape(new Markup("<b>")).toString();   // "<b>": already safe
   */
  static escape<T extends Markup>(this: new (value?: unknown) => T, value: unknown): T {
    const escaped = escape(value);
    return escaped.constructor === this ? (escaped as T) : new this(escaped);
  }

  /**
   * The markupsafe protocol: a Markup is its own safe HTML.
   *
   * @example
   * const safe = { __html__: () => "<b>bold</b>" };   // any object with __html__ is safe, as in markupsafe
   * escape(safe).toString();   // "<b>bold</b>"
   */
  __html__(): this {
    return this;
  }

  /**
   * Used by `format()`: Markup carries no format spec, and says so.
   *
   * @example
   * new Markup("{0}").format(new Markup("<b>")).toString();   // "<b>"; "{0:>5}" would throw ValueError
   */
  __html_format__(spec: string): this {
    if (spec) throw new PythonValueError("ValueError", "Unsupported format specification for Markup.");
    return this;
  }

  toString(): string {
    return this.#text;
  }

  valueOf(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }

  [Symbol.toPrimitive](): string {
    return this.#text;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.constructor.name}(${pyStrRepr(this.#text)})`;
  }

  /** The length of the text, in UTF-16 code units like any JS string. */
  get length(): number {
    return this.#text.length;
  }

  #wrap(text: unknown): this {
    return new (this.constructor as new (value?: unknown) => this)(text);
  }

  #escape(value: unknown): string {
    return (this.constructor as typeof Markup).escape(value).toString();
  }

  /**
   * Python's `markup % args`: `%s %r %d %i %f %e %g %%` with flags, width and precision, or
   * `%(name)s` with a single plain object. String arguments are escaped; Markup is kept.
   *
   * @example
   * new Markup("<em>%s</em> %.2f").mod("foo & bar", 3.14159).toString(); // "<em>foo &amp; bar</em> 3.14"
   * new Markup("%(who)s").mod({ who: "<Ann>" }).toString();             // "&lt;Ann&gt;"
   */
  mod(...args: unknown[]): this {
    const hooks: PercentHooks = { str: (v) => this.#escape(v), repr: (v) => this.#escape(reprOf(v)), number: markupNumber };
    // markupsafe's rule: one mapping argument is the mapping for %(name)s; anything else a tuple.
    const only = args[0];
    return this.#wrap(percentFormat(this.#text, args.length === 1 && isMapping(only) ? only : args, hooks));
  }

  /**
   * Python's `markup.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`,
   * `!r`, and format specs such as `{0:>10}` or `{0:.2f}`. A trailing plain object holds the
   * keyword arguments. Every field is escaped, except Markup values.
   *
   * @example
   * new Markup("<p>{}</p><p>{name}</p>").format("<a>", { name: "<b>" }).toString();
   * // "<p>&lt;a&gt;</p><p>&lt;b&gt;</p>"
   */
  format(...args: unknown[]): this {
    const last = args.at(-1);
    const kwargs = isMapping(last) && !(last instanceof Map) && !hasHTML(last) ? last : {};
    const positional = last !== undefined && kwargs === last ? args.slice(0, -1) : args;
    return this.#wrap(braceFormat(this.#text, positional, kwargs, {
      repr: (value, ascii) => reprOf(value, ascii),
      field: (value, spec) => this.#escape(formatField(value, spec)),
    }));
  }

  /**
   * Python's `markup + other`: appends each value, escaped unless it is safe.
   *
   * @example
   * new Markup("<em>Hello</em> ").concat("<foo>").toString(); // "<em>Hello</em> &lt;foo&gt;"
   */
  concat(...values: Array<string | HasHTML>): this {
    return this.#wrap(this.#text + values.map((v) => this.#escape(v)).join(""));
  }

  /**
   * Joins `items` with this Markup as the separator, escaping each item unless it is safe.
   *
   * @example
   * new Markup("<br>").join(["a<b", new Markup("<i>c</i>")]).toString(); // "a&lt;b<br><i>c</i>"
   */
  join(items: Iterable<unknown>): this {
    return this.#wrap(Array.from(items, (item) => this.#escape(item)).join(this.#text));
  }

  /**
   * Python's `markup * n`.
   *
   * @example
   * new Markup("<br>").repeat(3).toString();   // "<br><br><br>"
   */
  repeat(count: number): this {
    return this.#wrap(this.#text.repeat(count));
  }

  /**
   * Decodes HTML character references (named, decimal, hex) exactly as Python's html.unescape,
   * returning plain text.
   *
   * @example
   * new Markup("Main &raquo; <em>About</em>").unescape(); // "Main » <em>About</em>"
   */
  unescape(): string {
    return html_unescape(this.#text);
  }

  /**
   * Removes `<!-- comments -->` and tags, collapses whitespace runs to one space, then
   * unescapes entities, returning plain text.
   *
   * @example
   * new Markup("Main &raquo;\t<em>About</em>").striptags(); // "Main » About"
   */
  striptags(): string {
    let value = this.#text;
    // Comments go first: a tag inside a comment would otherwise end it early.
    value = removeSpans(value, "<!--", "-->");
    value = removeSpans(value, "<", ">");
    const collapsed = value.split(WS_RUN_RE).filter(Boolean).join(" ");
    return html_unescape(collapsed);
  }

  /**
   * Python's upper(), kept as Markup (tags and entities are uppercased too, as in markupsafe).
   *
   * @example
   * new Markup("<em>hi</em>").upper().toString();   // "<EM>HI</EM>"
   */
  upper(): this {
    return this.#wrap(this.#text.toUpperCase());
  }

  /**
   * Python's lower(), kept as Markup.
   *
   * @example
   * new Markup("<B>Hi</B>").lower().toString();   // "<b>hi</b>"
   */
  lower(): this {
    return this.#wrap(this.#text.toLowerCase());
  }

  /**
   * Python's strip(): Python's whitespace by default, else any of the characters in `chars`.
   *
   * @example
   * new Markup("  <br>\n").strip().toString();   // "<br>"
   */
  strip(chars?: string | null): this {
    return this.#wrap(stripText(this.#text, chars, true, true));
  }

  /**
   * Python's lstrip(): like strip(), from the left only.
   *
   * @example
   * new Markup("  <br> ").lstrip().toString();   // "<br> "
   */
  lstrip(chars?: string | null): this {
    return this.#wrap(stripText(this.#text, chars, true, false));
  }

  /**
   * Python's rstrip(): like strip(), from the right only.
   *
   * @example
   * new Markup("<br>;;").rstrip(";").toString();   // "<br>"
   */
  rstrip(chars?: string | null): this {
    return this.#wrap(stripText(this.#text, chars, false, true));
  }

  /**
   * Python's replace(old, new, count): `newText` is escaped unless it is safe.
   *
   * @example
   * new Markup("<p>NAME</p>").replace("NAME", "<Ann>").toString(); // "<p>&lt;Ann&gt;</p>"
   */
  replace(old: string, newText: string | HasHTML, count = -1): this {
    const replacement = this.#escape(newText);
    const parts = old === "" ? ["", ...Array.from(this.#text), ""] : this.#text.split(old);
    if (count < 0 || count >= parts.length - 1) return this.#wrap(parts.join(replacement));
    return this.#wrap(parts.slice(0, count + 1).join(replacement) + old + parts.slice(count + 1).join(old));
  }

  /**
   * Python's split(sep=None, maxsplit=-1): with no `sep`, splits on runs of whitespace.
   *
   * @example
   * new Markup("<b>a</b> <i>b</i>").split().map(String);   // ["<b>a</b>", "<i>b</i>"]
   */
  split(sep: string | null = null, maxsplit = -1): this[] {
    return splitText(this.#text, sep, maxsplit, false).map((part) => this.#wrap(part));
  }

  /**
   * Python's rsplit(sep=None, maxsplit=-1): like split, counting splits from the right.
   *
   * @example
   * new Markup("a,b,c").rsplit(",", 1).map(String);   // ["a,b", "c"]
   */
  rsplit(sep: string | null = null, maxsplit = -1): this[] {
    return splitText(this.#text, sep, maxsplit, true).map((part) => this.#wrap(part));
  }

  /**
   * Python's splitlines(): splits at every line boundary Python knows, `\r\n` included.
   *
   * @example
   * new Markup("<p>a</p>\r\n<p>b</p>").splitlines().map(String);   // ["<p>a</p>", "<p>b</p>"]
   */
  splitlines(keepends = false): this[] {
    const lines: string[] = [];
    let start = 0;
    for (const m of this.#text.matchAll(LINE_BREAK_RE)) {
      lines.push(this.#text.slice(start, keepends ? m.index + m[0].length : m.index));
      start = m.index + m[0].length;
    }
    if (start < this.#text.length) lines.push(this.#text.slice(start));
    return lines.map((line) => this.#wrap(line));
  }
}

/** markupsafe's EscapeFormatter.format_field, before escaping. */
function formatField(value: unknown, spec: string): unknown {
  const candidate = value as { __html_format__?: unknown } | null | undefined;
  if (candidate !== null && candidate !== undefined && typeof candidate.__html_format__ === "function") {
    return (candidate.__html_format__ as (spec: string) => unknown).call(value, spec);
  }
  if (hasHTML(value)) {
    if (spec) {
      throw new PythonValueError("ValueError", `Format specifier ${spec} given, but the value does not define __html_format__. A class that defines __html__ must define __html_format__ to work with format specifiers.`);
    }
    // markupsafe returns the __html__() text as a plain str here, which then gets escaped.
    return String(value.__html__());
  }
  return formatValue(value, spec);
}

function removeSpans(text: string, open: string, close: string): string {
  let value = text;
  for (let start = value.indexOf(open); start !== -1; start = value.indexOf(open)) {
    const end = value.indexOf(close, start);
    if (end === -1) break;
    value = value.slice(0, start) + value.slice(end + close.length);
  }
  return value;
}

function stripText(text: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const set = chars === null || chars === undefined ? undefined : new Set(chars);
  const strippable = (ch: string): boolean => (set ? set.has(ch) : WS_CHAR_RE.test(ch));
  const units = Array.from(text);
  let start = 0;
  let end = units.length;
  if (left) while (start < end && strippable(units[start] ?? "")) start++;
  if (right) while (end > start && strippable(units[end - 1] ?? "")) end--;
  return units.slice(start, end).join("");
}

function splitText(text: string, sep: string | null, maxsplit: number, fromRight: boolean): string[] {
  if (sep === "") throw new PythonValueError("ValueError", "empty separator: pass null to split on whitespace");
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep !== null) {
    const parts = text.split(sep);
    if (parts.length - 1 <= limit) return parts;
    return fromRight
      ? [parts.slice(0, parts.length - limit).join(sep), ...parts.slice(parts.length - limit)]
      : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
  }
  const words = [...text.matchAll(new RegExp(`[^${PY_WHITESPACE}]+`, "g"))];
  if (words.length - 1 <= limit) return words.map((m) => m[0]);
  if (fromRight) {
    const cut = words[words.length - limit]?.index ?? text.length;
    return [stripText(text.slice(0, cut), null, false, true), ...words.slice(words.length - limit).map((m) => m[0])];
  }
  const rest = words[limit]?.index ?? text.length;
  return [...words.slice(0, limit).map((m) => m[0]), text.slice(rest)];
}
