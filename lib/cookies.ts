/**
 * Cookie headers the way Werkzeug 3.1 writes and reads them: `dump_cookie` builds a Set-Cookie
 * value byte for byte as werkzeug.http.dump_cookie does, `parse_cookie` reads a Cookie header as
 * werkzeug.http.parse_cookie does, and `http_date` formats the Expires date.
 *
 * Owns header text only: no request or response objects, no signing (sessions do that).
 */
import { IdnaError, idnaEncode } from "./idna.js";
import { PY_WHITESPACE } from "./py-number-format.js";

/** Options of {@link dump_cookie}; the names and defaults are Werkzeug's. */
export interface CookieOptions {
  /** Lifetime in seconds (Werkzeug also takes a timedelta); `null` for a browser-session cookie. */
  max_age?: number | null;
  /** When the cookie expires: a Date, epoch seconds, or a preformatted HTTP date string. */
  expires?: Date | number | string | null;
  /** Defaults to "/"; `null` leaves the Path attribute out. */
  path?: string | null;
  /** Port and leading dot are dropped, non-ASCII labels are IDNA-encoded. */
  domain?: string | null;
  secure?: boolean;
  httponly?: boolean;
  /** "Strict", "Lax" or "None", in any letter case; anything else throws. */
  samesite?: "Strict" | "Lax" | "None" | (string & {}) | null;
  /** Partitioned storage (CHIPS); like Werkzeug, it also turns on Secure. */
  partitioned?: boolean;
  /** When `max_age` is set and `expires` is not, also send a matching Expires (default true). */
  sync_expires?: boolean;
  /** Warn when the header is longer than this many characters (default 4093; 0 disables). */
  max_size?: number;
  /** The current time for `sync_expires`, as a Date or epoch seconds (default: the clock). */
  now?: Date | number;
  /**
   * Receives Werkzeug's "cookie is too large" warning text. Defaults to
   * `process.emitWarning(message, "UserWarning")`, Node's counterpart of Python's warnings.warn.
   */
  warn?: (message: string) => void;
}

// Werkzeug's _cookie_no_quote_re (ASCII \w plus RFC 6265 punctuation).
const NO_QUOTE_RE = /^[A-Za-z0-9_!#$%&'()*+\-./:<=>?@[\]^`{|}~]*$/;
const PATH_SAFE = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~%!$&'()*+,/:=@");
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SPACE = "[ \\t\\n\\r\\f\\v]*";
// Werkzeug's _cookie_re, with Python's "." (anything but \n) spelled out.
const COOKIE_RE = new RegExp(`([^=;]*)(?:${SPACE}=${SPACE}("(?:[^\\\\"]|\\\\[^\\n])*"|[^\\n]*?))?${SPACE};${SPACE}`, "g");
const STRIP_RE = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, "g");

/**
 * Formats a moment as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), like Werkzeug's http_date.
 * Numbers are epoch seconds; fractions are dropped the way Python's datetime does.
 *
 * @example
 * http_date(0); // "Thu, 01 Jan 1970 00:00:00 GMT"
 */
export function http_date(moment: Date | number = new Date()): string {
  const seconds = typeof moment === "number" ? wholeSeconds(moment) : Math.floor(moment.getTime() / 1000);
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) throw new RangeError(`http_date: year ${year} is out of range; HTTP dates need years 1 to 9999`);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(year).padStart(4, "0")} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** Python's datetime.fromtimestamp: microseconds rounded half-even, then the seconds field. */
function wholeSeconds(timestamp: number): number {
  const whole = Math.trunc(timestamp);
  const micros = (timestamp - whole) * 1e6;
  let rounded = Math.round(micros);
  if (Math.abs(micros % 1) === 0.5) rounded = 2 * Math.round(micros / 2);
  if (rounded >= 1e6) return whole + 1;
  return rounded < 0 ? whole - 1 : whole;
}

/**
 * Builds a Set-Cookie header value (without `Set-Cookie: `) exactly as Werkzeug's dump_cookie:
 * the value is quoted with octal escapes when it holds characters outside RFC 6265's set, and
 * attributes come in Werkzeug's order (Domain, Expires, Max-Age, Secure, HttpOnly, Path,
 * SameSite, Partitioned). A header longer than `max_size` is still returned, with a warning.
 *
 * @example
 * dump_cookie("session", "a b", { max_age: 60, httponly: true, samesite: "lax", now: 0 });
 * // 'session="a b"; Expires=Thu, 01 Jan 1970 00:01:00 GMT; Max-Age=60; HttpOnly; Path=/; SameSite=Lax'
 */
export function dump_cookie(key: string, value = "", options: CookieOptions = {}): string {
  const { max_age = null, domain = null, httponly = false, sync_expires = true, max_size = 4093, partitioned = false } = options;
  const path = options.path === undefined ? "/" : options.path === null ? null : quotePath(options.path);
  const cookieDomain = domain ? cookieDomainOf(domain) : domain;
  let expires: string | null = null;
  if (options.expires !== undefined && options.expires !== null) {
    expires = typeof options.expires === "string" ? options.expires : http_date(options.expires);
  } else if (max_age !== null && sync_expires) {
    const now = options.now ?? new Date();
    expires = http_date((typeof now === "number" ? now : now.getTime() / 1000) + max_age);
  }
  let samesite: string | null = null;
  if (options.samesite !== undefined && options.samesite !== null) {
    samesite = options.samesite.charAt(0).toUpperCase() + options.samesite.slice(1).toLowerCase();
    if (samesite !== "Strict" && samesite !== "Lax" && samesite !== "None") {
      throw new RangeError(`dump_cookie: SameSite must be 'Strict', 'Lax', or 'None'. Got ${JSON.stringify(options.samesite)}.`);
    }
  }
  const secure = partitioned || options.secure === true;
  const quoted = NO_QUOTE_RE.test(value) ? value : `"${quoteValue(value)}"`;
  const parts = [`${Buffer.from(key, "utf8").toString("latin1")}=${quoted}`];
  const attributes: Array<[string, string | number | boolean | null]> = [
    ["Domain", cookieDomain], ["Expires", expires], ["Max-Age", max_age], ["Secure", secure],
    ["HttpOnly", httponly], ["Path", path], ["SameSite", samesite], ["Partitioned", partitioned],
  ];
  for (const [name, attr] of attributes) {
    if (attr === null || attr === false) continue;
    parts.push(attr === true ? name : `${name}=${attr}`);
  }
  const header = parts.join("; ");
  const size = [...header].length;
  if (max_size && size > max_size) {
    const message = cookie_too_large_message(key, quoted.length, size, max_size);
    (options.warn ?? ((text: string) => process.emitWarning(text, "UserWarning")))(message);
  }
  return header;
}

/**
 * The warning text Werkzeug emits when a Set-Cookie header exceeds `max_size` (`valueSize` is
 * the length of the value as written, quotes and escapes included).
 */
export function cookie_too_large_message(key: string, valueSize: number, cookieSize: number, maxSize: number): string {
  return `The '${key}' cookie is too large: the value was ${valueSize} bytes but the header required `
    + `${cookieSize - valueSize} extra bytes. The final size was ${cookieSize} bytes but the limit is `
    + `${maxSize} bytes. Browsers may silently ignore cookies larger than this.`;
}

function quoteValue(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    // Werkzeug's escaping regex stops at \x19, so \x1a-\x1f go through unescaped.
    else if (byte <= 0x19 || byte === 0x2c || byte === 0x3b || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return out;
}

function quotePath(path: string): string {
  let out = "";
  for (const ch of path) {
    if (PATH_SAFE.has(ch)) out += ch;
    else for (const byte of Buffer.from(ch, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}


/**
 * Parses a Cookie request header into `[name, value]` pairs in order (repeated names kept), as
 * Werkzeug's parse_cookie: quoted values are unquoted and their backslash/octal escapes decoded,
 * parts without a name are skipped. The header is expected as Node delivers it (each byte as a
 * latin-1 character) and is read as UTF-8; if it is not valid UTF-8, where Werkzeug raises, the
 * text is kept as it came.
 *
 * @example
 * parse_cookie('a=1; b="x\\"y"; a=2'); // [["a", "1"], ["b", 'x"y'], ["a", "2"]]
 */
export function parse_cookie(header: string | null | undefined): Array<[string, string]> {
  if (!header) return [];
  const cookie = `${fromLatin1(header)};`;
  const out: Array<[string, string]> = [];
  for (const m of cookie.matchAll(COOKIE_RE)) {
    const key = (m[1] ?? "").replace(STRIP_RE, "");
    let value = (m[2] ?? "").replace(STRIP_RE, "");
    if (!key) continue;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = unquoteValue(value.slice(1, -1));
    out.push([key, value]);
  }
  return out;
}

function fromLatin1(header: string): string {
  if (!/^[\x00-\xff]*$/.test(header)) return header;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Buffer.from(header, "latin1"));
  } catch {
    return header;
  }
}

function unquoteValue(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const out: number[] = [];
  const isOctal = (b: number | undefined, max: number) => b !== undefined && b >= 0x30 && b <= max;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const next = bytes[i + 1];
    if (b !== 0x5c || next === undefined || next === 0x0a) {
      out.push(b);
    } else if (isOctal(next, 0x33) && isOctal(bytes[i + 2], 0x37) && isOctal(bytes[i + 3], 0x37)) {
      out.push(parseInt(String.fromCharCode(next, bytes[i + 2] ?? 0, bytes[i + 3] ?? 0), 8));
      i += 3;
    } else {
      out.push(next);
      i += 1;
    }
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(Uint8Array.from(out));
}

function cookieDomainOf(domain: string): string {
  const name = domain.split(":")[0]?.replace(/^\.+/, "") ?? "";
  try {
    return idnaEncode(name);
  } catch (error) {
    if (!(error instanceof IdnaError)) throw error;
    throw new TypeError(`dump_cookie: cannot encode domain ${JSON.stringify(name)} (${error.reason}); pass a valid host name`);
  }
}
