// URL text helpers with Werkzeug's exact rules: percent-decoding of the request path and
// query (invalid UTF-8 -> U+FFFD, undecodable `%` left literal), Python's quote()/quote_plus()
// and Werkzeug's query urlencode for url_for, iri_to_uri and uri_to_iri, and the request's own
// URL (get_current_url).
// Pure string functions; the per-request ones have an allocation-free fast path.

import { domainToUnicode } from "node:url";
import { pyStr } from "./py-text.js";

const utf8 = new TextDecoder("utf-8", { fatal: false });
const HEX = "0123456789ABCDEF";

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The bytes of `text` (latin-1 code units) with `%XX` escapes decoded and, with `plus`, `+` as a space. */
function unquoteBytes(text: string, plus: boolean): Buffer {
  const bytes = Buffer.from(text, "latin1");
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const hi = hexValue(bytes[i + 1]!);
      const lo = hexValue(bytes[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = plus && byte === 0x2b ? 0x20 : byte;
  }
  return out.subarray(0, n);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Text of the request line as written: Node hands it over as latin-1 code units, so raw
 * non-ASCII bytes are re-read as UTF-8 (U+FFFD for invalid sequences); escapes stay as they are.
 */
export function requestLineText(text: string): string {
  return isAscii(text) ? text : utf8.decode(Buffer.from(text, "latin1"));
}

/**
 * Decodes `%XX` escapes (and `+` as space when `plus` is set) to bytes, then the bytes as
 * UTF-8 with U+FFFD for invalid sequences; a `%` not followed by two hex digits stays as is.
 * That is what a WSGI server plus Werkzeug do to PATH_INFO and to query values.
 */
export function percentDecode(text: string, plus = false): string {
  if (!text.includes("%") && !(plus && text.includes("+"))) return requestLineText(text);
  return utf8.decode(unquoteBytes(text, plus));
}

/** Length of the valid UTF-8 prefix of the sequence starting at `i` (1-4), or 0 if invalid. */
function utf8SequenceLength(bytes: Uint8Array, i: number): { length: number; valid: number } {
  const lead = bytes[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (lead < 0x80) return { length: 1, valid: 1 };
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) lo = 0xa0;
    if (lead === 0xed) hi = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) lo = 0x90;
    if (lead === 0xf4) hi = 0x8f;
  } else return { length: 0, valid: 1 };
  for (let k = 1; k <= need; k++) {
    const byte = bytes[i + k];
    if (byte === undefined || byte < lo || byte > hi) return { length: 0, valid: k };
    lo = 0x80;
    hi = 0xbf;
  }
  return { length: need + 1, valid: need + 1 };
}

/**
 * Decodes a query component as Werkzeug does for `request.args`: `+` is a space, `%XX` bytes
 * are UTF-8, and bytes that are not valid UTF-8 stay percent-encoded ("%ff" -> "%FF"), unlike
 * the path, where they become U+FFFD.
 */
export function decodeQueryComponent(text: string): string {
  if (!text.includes("%")) return percentDecode(text, true);
  return unquoteKeepingInvalid(text, true);
}

/** `%XX` escapes decoded as UTF-8, the bytes of invalid sequences left as upper-case `%XX`. */
function unquoteKeepingInvalid(text: string, plus: boolean): string {
  const bytes = unquoteBytes(text, plus);
  const n = bytes.length;
  let out = "";
  let start = 0;
  for (let i = 0; i < n; ) {
    const { length, valid } = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += utf8.decode(bytes.subarray(start, i));
    for (let k = 0; k < valid && i + k < n; k++) out += `%${HEX[bytes[i + k]! >> 4]}${HEX[bytes[i + k]! & 15]}`;
    i += Math.min(valid, n - i);
    start = i;
  }
  return out + utf8.decode(bytes.subarray(start, n));
}

/**
 * Parses a query string the way Werkzeug builds `request.args`: pairs split on `&`, `+` is a
 * space, a key without `=` has the value "", empty pairs are skipped, order is kept.
 */
export function parseQueryString(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (query === "") return pairs;
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([decodeQueryComponent(key), decodeQueryComponent(value)]);
  }
  return pairs;
}

/** Characters Werkzeug leaves unquoted in a URL path (the WHATWG path-segment set plus "/"). */
export const PATH_SAFE = "!$&'()*+,/:;=@";
/** Characters Werkzeug's `_urlencode` leaves unquoted in a query string. */
export const QUERY_SAFE = "!$'()*,/:;?@";

const ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
const PERCENT_BYTE = Array.from({ length: 256 }, (_, byte) => `%${HEX[byte >> 4]}${HEX[byte & 15]}`);
// One lookup table per `safe` string: callers pass a handful of constants, and url_for quotes
// every path segment, so the table is built once rather than on every call.
const safeTables = new Map<string, Uint8Array>();

function safeTable(safe: string): Uint8Array {
  let table = safeTables.get(safe);
  if (table === undefined) {
    table = new Uint8Array(128);
    // Non-ASCII `safe` characters fall outside the table and are ignored, as Python ignores them.
    for (const ch of ALWAYS_SAFE + safe) table[ch.charCodeAt(0)] = 1;
    safeTables.set(safe, table);
  }
  return table;
}

/**
 * Python's `urllib.parse.quote(text, safe)`: UTF-8 bytes, upper-case hex, unreserved characters
 * and ASCII `safe` characters kept as they are. A lone surrogate has no UTF-8 form and throws,
 * as Python's encoder does.
 *
 * @example
 * quote("John Doe/ä", PATH_SAFE); // "John%20Doe/%C3%A4"
 */
export function quote(text: string, safe = "/"): string {
  const table = safeTable(safe);
  // Most path segments need no quoting: return them without building a new string.
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) break;
    i++;
  }
  if (i === text.length) return text;
  // UTF-8 encoded by hand: no intermediate byte buffer per call.
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out += table[c] === 1 ? text[i] : PERCENT_BYTE[c];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
        throw new TypeError(`Cannot quote ${JSON.stringify(text)}: it contains a lone UTF-16 surrogate, which has no UTF-8 form.`);
      }
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
    if (c < 0x800) out += PERCENT_BYTE[0xc0 | (c >> 6)]! + PERCENT_BYTE[0x80 | (c & 63)]!;
    else if (c < 0x10000) out += PERCENT_BYTE[0xe0 | (c >> 12)]! + PERCENT_BYTE[0x80 | ((c >> 6) & 63)]! + PERCENT_BYTE[0x80 | (c & 63)]!;
    else out += PERCENT_BYTE[0xf0 | (c >> 18)]! + PERCENT_BYTE[0x80 | ((c >> 12) & 63)]! + PERCENT_BYTE[0x80 | ((c >> 6) & 63)]! + PERCENT_BYTE[0x80 | (c & 63)]!;
  }
  return out;
}

/** Python's `quote_plus`: like {@link quote} but a space becomes "+". */
export function quotePlus(text: string, safe = ""): string {
  if (!text.includes(" ")) return quote(text, safe);
  return quote(text, safe + " ").replaceAll(" ", "+");
}

/**
 * Werkzeug's `_urlencode` of `(key, value)` pairs: null/undefined values dropped, everything
 * else through Python's `str()` and {@link quotePlus} with {@link QUERY_SAFE}.
 *
 * @example
 * urlencode([["q", "a b"], ["page", 2]]); // "q=a+b&page=2"
 */
export function urlencode(items: Iterable<readonly [string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of items) {
    if (value === null || value === undefined) continue;
    parts.push(`${quotePlus(key, QUERY_SAFE)}=${quotePlus(pyStr(value), QUERY_SAFE)}`);
  }
  return parts.join("&");
}

/** A URL's parts as urlsplit finds them: scheme, authority, path, query, fragment. */
export const URL_PARTS = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;

/**
 * Werkzeug's `iri_to_uri`: quotes unsafe and non-ASCII characters per URL part and encodes the
 * host to Punycode. Used for Location headers, as Werkzeug does when it sends a response.
 */
export function iri_to_uri(iri: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x21-\x7e]*$/.test(iri) && !/[<>"`{}|\\^]/.test(iri)) return iri;
  const match = URL_PARTS.exec(iri);
  if (match === null) return quote(iri, "%!$&'()*+,/:;=?@#");
  const [, scheme, authority, path = "", query, fragment] = match;
  let out = scheme === undefined ? "" : `${scheme}:`;
  if (authority !== undefined) {
    const at = authority.lastIndexOf("@");
    const userinfo = at === -1 ? "" : `${quote(authority.slice(0, at), "%!$&'()*+,;=:")}@`;
    const hostport = at === -1 ? authority : authority.slice(at + 1);
    const portMatch = /^(.*?)(:\d*)?$/.exec(hostport)!;
    let host = portMatch[1] ?? "";
    try {
      host = host && !host.startsWith("[") ? new URL(`http://${host}`).hostname : host;
    } catch {
      // keep the host as given: it is not a valid domain name, and quoting it would change it
    }
    out += `//${userinfo}${host}${portMatch[2] ?? ""}`;
  }
  out += quote(path, "%!$&'()*+,/:;=@");
  if (query !== undefined) out += `?${quote(query, "%!$&'()*+,/:;=?@")}`;
  if (fragment !== undefined) out += `#${quote(fragment, "%!#$&'()*+,/:;=?@")}`;
  return out;
}

// Escapes uri_to_iri leaves as they are, per part: controls, space, "%" and DEL always, and the
// characters that would change the part's meaning if decoded.
const ALWAYS_ESCAPED = `${String.fromCharCode(...Array.from({ length: 0x21 }, (_, c) => c))}%\x7f`;
const KEEP_ESCAPED = {
  path: `${ALWAYS_ESCAPED}/?#`,
  query: `${ALWAYS_ESCAPED}&=+#`,
  fragment: ALWAYS_ESCAPED,
  user: `${ALWAYS_ESCAPED}:@/?#`,
};

/** Decodes the escapes of `text` except those of the characters in `keep` (a partial unquote). */
function unquoteExcept(text: string, keep: string): string {
  if (!text.includes("%")) return text;
  let out = "";
  let start = 0;
  for (let i = text.indexOf("%"); i !== -1 && i + 2 < text.length; i = text.indexOf("%", i + 1)) {
    const hi = hexValue(text.charCodeAt(i + 1));
    const lo = hexValue(text.charCodeAt(i + 2));
    if (hi < 0 || lo < 0 || !keep.includes(String.fromCharCode(hi * 16 + lo))) continue;
    // An escape to keep: decode what came before it, keep it as it was written.
    out += unquoteKeepingInvalid(text.slice(start, i), false) + text.slice(i, i + 3);
    start = i + 3;
    i += 2;
  }
  return out + unquoteKeepingInvalid(text.slice(start), false);
}

/** A Punycode host name decoded label by label; a label that is not valid Punycode stays as it is. */
function decodeIdna(host: string): string {
  if (!isAscii(host) || !host.includes("xn--")) return host;
  return host
    .split(".")
    .map((label) => (label.toLowerCase().startsWith("xn--") ? domainToUnicode(label) || label : label))
    .join(".");
}

/**
 * The host name of a "host:port" or "[v6]:port" value as uri_to_iri shows it: lower-cased,
 * without brackets or port, decoded from Punycode (urlsplit's `hostname`, then IDNA).
 *
 * @example
 * iri_hostname("XN--N3H.example:8080"); // "☃.example"
 */
export function iri_hostname(hostport: string): string {
  const name = hostport.startsWith("[") ? hostport.slice(1, hostport.indexOf("]")) : hostport.split(":")[0]!;
  return decodeIdna(name.toLowerCase());
}

/**
 * Werkzeug's `uri_to_iri`: decodes the escapes that are valid UTF-8 and do not change a part's
 * meaning, lower-cases the host and decodes it from Punycode.
 *
 * @example
 * uri_to_iri("http://xn--n3h.net/p%C3%A5th?q=%C3%A8ry%DF"); // "http://☃.net/påth?q=èry%DF"
 */
export function uri_to_iri(uri: string): string {
  const match = URL_PARTS.exec(uri)!;
  const [, scheme, authority, path = "", query, fragment] = match;
  let out = scheme === undefined ? "" : `${scheme.toLowerCase()}:`;
  if (authority !== undefined) {
    const at = authority.lastIndexOf("@");
    const hostport = authority.slice(at + 1);
    let host = iri_hostname(hostport);
    const afterHost = hostport.startsWith("[") ? hostport.slice(hostport.indexOf("]") + 1) : hostport;
    const port = Number.parseInt(/:(\d*)$/.exec(afterHost)?.[1] ?? "", 10);
    if (host.includes(":")) host = `[${host}]`;
    if (port > 0) host += `:${port}`;
    if (at !== -1) {
      const colon = authority.indexOf(":");
      const user = authority.slice(0, colon !== -1 && colon < at ? colon : at);
      const password = colon !== -1 && colon < at ? authority.slice(colon + 1, at) : "";
      host = `${unquoteExcept(user, KEEP_ESCAPED.user)}${password ? `:${unquoteExcept(password, KEEP_ESCAPED.user)}` : ""}@${host}`;
    }
    out += `//${host}`;
  }
  out += unquoteExcept(path, KEEP_ESCAPED.path);
  if (query) out += `?${unquoteExcept(query, KEEP_ESCAPED.query)}`;
  if (fragment) out += `#${unquoteExcept(fragment, KEEP_ESCAPED.fragment)}`;
  return out;
}

// What get_current_url leaves unquoted in the path parts and in the query ("%" too: the parts
// may hold escapes already).
const CURRENT_PATH_SAFE = "!$&'()*+,/:;=@%";
const CURRENT_QUERY_SAFE = "!$&'()*+,/:;=?@%";

/** Python's quote() of bytes given as latin-1 code units (a raw query string from Node). */
function quoteLatin1(text: string, safe: string): string {
  if (isAscii(text)) return quote(text, safe);
  const table = safeTable(safe);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) & 0xff;
    out += c < 0x80 && table[c] === 1 ? text[i] : PERCENT_BYTE[c];
  }
  return out;
}

/**
 * The URL of a request as Werkzeug's `get_current_url` rebuilds it (request.url, base_url,
 * root_url, host_url): each part given is quoted, the whole turned into an IRI. A part left out
 * ends the URL there.
 *
 * @example
 * current_url("http", "localhost", "", "/user/ä", "q=%C3%A9"); // "http://localhost/user/ä?q=é"
 */
export function current_url(scheme: string, host: string, root_path?: string, path?: string, query_string?: string): string {
  let url = `${scheme}://${host}/`;
  if (root_path !== undefined) {
    url = `${scheme}://${host}${quote(root_path.replace(/\/+$/, ""), CURRENT_PATH_SAFE)}/`;
    if (path !== undefined) {
      url += quote(path.replace(/^\/+/, ""), CURRENT_PATH_SAFE);
      if (query_string) url += `?${quoteLatin1(query_string, CURRENT_QUERY_SAFE)}`;
    }
  }
  return uri_to_iri(url);
}
