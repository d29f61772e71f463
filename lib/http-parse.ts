// Header-value parsing with Werkzeug's rules (werkzeug.http): option headers (Content-Type,
// Content-Disposition), comma lists (X-Forwarded-For), key=value lists (Digest auth) and the
// Authorization header. Pure string functions: no request, no IO.

const PARAM_KEY_RE = /^([\w!#$%&'*+\-.^`|~]+)=/;
const PARAM_TOKEN_RE = /^[\w!#$%&'*+\-.^`|~]+/;
const CHARSET_VALUE_RE = /^([\w!#$%&*+\-.^`|~]*)'[\w!#$%&*+\-.^`|~]*'([\w!#$%&'*+\-.^`|~]+)/;
const CONTINUATION_RE = /\*(\d+)$/;
const SAFE_CHARSETS = new Set(["ascii", "us-ascii", "utf-8", "iso-8859-1"]);

/** Percent-decodes `text` and reads the bytes in `charset`, invalid bytes replaced (Python's unquote). */
function unquoteCharset(text: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(text[i]!, "utf8")) bytes.push(b);
    }
  }
  const buf = Buffer.from(bytes);
  if (charset === "iso-8859-1") return buf.toString("latin1");
  if (charset === "utf-8") return new TextDecoder("utf-8").decode(buf);
  return [...buf].map((b) => (b < 0x80 ? String.fromCharCode(b) : "\ufffd")).join("");
}

/**
 * Splits a header like `text/html; charset="utf-8"` into its value and lowercased options, as
 * werkzeug.http.parse_options_header: quoted values unescaped, RFC 2231 `key*=utf-8''...` and
 * `key*0=` continuations decoded, invalid parts dropped.
 *
 * @example
 * parse_options_header('form-data; name="f"; filename="a b.txt"');
 * // ["form-data", { name: "f", filename: "a b.txt" }]
 */
export function parse_options_header(header: string | null | undefined): [string, Record<string, string>] {
  if (header === null || header === undefined) return ["", {}];
  const semi = header.indexOf(";");
  const value = (semi === -1 ? header : header.slice(0, semi)).trim();
  let rest = semi === -1 ? "" : header.slice(semi + 1).trim();
  if (!value || !rest) return [value, {}];
  const parts: [string, string][] = [];
  for (;;) {
    const key = PARAM_KEY_RE.exec(rest);
    if (key !== null) {
      const pk = key[1]!.toLowerCase();
      rest = rest.slice(key[0].length);
      const token = PARAM_TOKEN_RE.exec(rest);
      if (token !== null) {
        parts.push([pk, token[0]]);
      } else if (rest.startsWith('"')) {
        for (let pos = 1; pos < rest.length; ) {
          const two = rest.slice(pos, pos + 2);
          if (two === "\\\\" || two === '\\"') pos += 2;
          else if (rest[pos] === '"') {
            parts.push([pk, rest.slice(0, pos + 1)]);
            rest = rest.slice(pos + 1);
            break;
          } else pos += 1;
        }
      }
    }
    const end = rest.indexOf(";");
    if (end === -1) break;
    rest = rest.slice(end + 1).trimStart();
  }
  const options: Record<string, string> = {};
  let continued: string | null = null;
  for (let [pk, pv] of parts) {
    if (pk.endsWith("*")) {
      pk = pk.slice(0, -1);
      let encoding: string | null = null;
      const match = CHARSET_VALUE_RE.exec(pv);
      if (match !== null) {
        encoding = match[1]!.toLowerCase();
        pv = match[2]!;
      }
      if (!encoding) encoding = continued;
      if (encoding !== null && SAFE_CHARSETS.has(encoding)) {
        continued = encoding;
        pv = unquoteCharset(pv, encoding);
      }
    }
    if (pv.length >= 2 && pv.startsWith('"') && pv.endsWith('"')) {
      // HTTP escapes with backslashes; browsers escape quotes in form-data names as %22.
      pv = pv.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"').replaceAll("%22", '"');
    }
    const cont = CONTINUATION_RE.exec(pk);
    if (cont !== null) {
      pk = pk.slice(0, cont.index);
      options[pk] = (options[pk] ?? "") + pv;
    } else {
      options[pk] = pv;
    }
  }
  return [value, options];
}

/** Removes the quotes of a quoted-string and its backslash escapes. */
function unquoteHeaderValue(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/gs, "$1");
  return value;
}

/**
 * Splits a comma-separated header into items, commas inside quoted strings kept, quotes removed,
 * empty items dropped (werkzeug.http.parse_list_header). An unclosed quote gives [].
 *
 * @example
 * parse_list_header('6.6.6.6, "1.1.1.1"'); // ["6.6.6.6", "1.1.1.1"]
 */
export function parse_list_header(value: string): string[] {
  const items: string[] = [];
  let item = "";
  let escape = false;
  let quote = false;
  for (const ch of value) {
    if (escape) {
      escape = false;
      item += ch;
    } else if (quote) {
      if (ch === "\\") escape = true;
      else if (ch === '"') quote = false;
      item += ch;
    } else if (ch === ",") {
      items.push(item);
      item = "";
    } else {
      if (ch === '"') quote = true;
      item += ch;
    }
  }
  if (quote) return [];
  items.push(item);
  return items.map((i) => i.trim()).filter(Boolean).map(unquoteHeaderValue);
}

/**
 * A list of `key=value` items (werkzeug.http.parse_dict_header); a key without `=` maps to null.
 *
 * @example
 * parse_dict_header('a=b, c="d, e", f'); // { a: "b", c: "d, e", f: null }
 */
export function parse_dict_header(value: string): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const item of parse_list_header(value)) {
    const eq = item.indexOf("=");
    let key = (eq === -1 ? item : item.slice(0, eq)).trim();
    if (!key) continue;
    if (eq === -1) {
      result[key] = null;
      continue;
    }
    let val = item.slice(eq + 1).trim();
    if (key.endsWith("*")) {
      key = key.slice(0, -1);
      const match = CHARSET_VALUE_RE.exec(val);
      if (match !== null) {
        const encoding = match[1]!.toLowerCase();
        if (SAFE_CHARSETS.has(encoding)) val = unquoteCharset(match[2]!, encoding);
      }
    }
    result[key] = unquoteHeaderValue(val);
  }
  return result;
}

/**
 * The Authorization header, parsed (Werkzeug's `Authorization`): `type` is the lowercased
 * scheme; Basic credentials give `username`/`password`, token schemes (Bearer) give `token`,
 * others (Digest) give `parameters`.
 *
 * @example
 * const auth = request.authorization;
 * if (auth?.type === "basic" && check(auth.username, auth.password)) ...
 */
export class Authorization {
  readonly type: string;
  readonly parameters: Record<string, string | null>;
  readonly token: string | null;

  constructor(type: string, parameters: Record<string, string | null> | null = null, token: string | null = null) {
    this.type = type;
    this.parameters = parameters ?? {};
    this.token = token;
  }

  /**
   * The Basic username, or null for other schemes.
   *
   * @example
   * request.authorization?.username;   // "ann" for Authorization: Basic YW5uOnB3
   */
  get username(): string | null {
    return this.parameters.username ?? null;
  }

  /**
   * The Basic password, or null for other schemes.
   *
   * @example
   * request.authorization?.password;   // "pw" for Authorization: Basic YW5uOnB3
   */
  get password(): string | null {
    return this.parameters.password ?? null;
  }

  /**
   * Parses a header value; null when it is empty or Basic credentials do not decode.
   *
   * @example
   * Authorization.from_header("Bearer abc.def")?.token;   // "abc.def"
   * Authorization.from_header("Basic YW5uOnB3")?.username;   // "ann"
   */
  static from_header(value: string | null | undefined): Authorization | null {
    if (!value) return null;
    const space = value.indexOf(" ");
    const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
    const rest = space === -1 ? "" : value.slice(space + 1).trim();
    if (scheme === "basic") {
      // Python's b64decode (non-strict) skips characters outside the alphabet, then needs padding.
      const cleaned = rest.replace(/[^A-Za-z0-9+/=]/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) || cleaned.length % 4 !== 0) return null;
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(cleaned, "base64"));
      } catch {
        return null;
      }
      const colon = text.indexOf(":");
      return new Authorization(scheme, {
        username: colon === -1 ? text : text.slice(0, colon),
        password: colon === -1 ? "" : text.slice(colon + 1),
      });
    }
    if (rest.replace(/=+$/, "").includes("=")) return new Authorization(scheme, parse_dict_header(rest), null);
    return new Authorization(scheme, null, rest);
  }
}
