// URL text helpers with Werkzeug's exact rules: percent-decoding of the request path and
// query (invalid UTF-8 -> U+FFFD, undecodable `%` left literal), Python-style quote(), iri_to_uri.
// Pure string functions; the per-request ones have an allocation-free fast path.

const utf8 = new TextDecoder("utf-8", { fatal: false });
const HEX = "0123456789ABCDEF";

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * Decodes `%XX` escapes (and `+` as space when `plus` is set) to bytes, then the bytes as
 * UTF-8 with U+FFFD for invalid sequences; a `%` not followed by two hex digits stays as is.
 * That is what a WSGI server plus Werkzeug do to PATH_INFO and to query values.
 */
export function percentDecode(text: string, plus = false): string {
  if (!text.includes("%") && !(plus && text.includes("+"))) {
    // Node hands us the raw request line as latin-1 code units; re-decode non-ASCII as UTF-8.
    // eslint-disable-next-line no-control-regex
    return /[^\x00-\x7f]/.test(text) ? utf8.decode(Buffer.from(text, "latin1")) : text;
  }
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
  return utf8.decode(out.subarray(0, n));
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
  const raw = Buffer.from(text.replaceAll("+", " "), "latin1");
  const bytes = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1]!);
      const lo = hexValue(raw[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    bytes[n++] = byte;
  }
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

const ALWAYS_SAFE = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~");

/** Python's `urllib.parse.quote(text, safe)`: UTF-8 bytes, unreserved and `safe` kept. */
export function quote(text: string, safe = "/"): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && (ALWAYS_SAFE.has(ch) || safe.includes(ch)) ? ch : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * Werkzeug's `iri_to_uri`: quotes unsafe and non-ASCII characters per URL part and encodes the
 * host to Punycode. Used for Location headers, as Werkzeug does when it sends a response.
 */
export function iri_to_uri(iri: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x21-\x7e]*$/.test(iri) && !/[<>"`{}|\\^]/.test(iri)) return iri;
  const match = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(iri);
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
