// Request: Werkzeug's Request wrapper over one incoming request (an `Environ`).
// Owns the derived URL parts, args, headers, cookies and routing info, and the accessors of
// the body (form, files, data, json) that request-body.ts fills in `_body` before the view
// runs. Never writes to Node's req.

import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { has_app_context, requireAppContext } from "./context.js";
import { parse_cookie } from "./cookies.js";
import type { FileStorage } from "./file-storage.js";
import { parse_qsl } from "./form-parser.js";
import { Headers } from "./headers.js";
import { BadRequest, UnsupportedMediaType, type HTTPException } from "./http-exceptions.js";
import { Authorization, parse_list_header, parse_options_header } from "./http-parse.js";
import { MultiDict, CombinedMultiDict } from "./multidict.js";
import type { Rule } from "./rule.js";
import { SpooledTemporaryFile } from "./spooled-file.js";
import { percentDecode, quote } from "./urls.js";

/**
 * The WSGI-environ equivalent: the facts of one request, before any parsing. The adapter builds
 * it from Node's request; test contexts build it from arguments; ProxyFix rewrites it.
 */
export interface Environ {
  method: string;
  scheme: string;
  /** Host header value (host[:port]). */
  host: string;
  /** The mount prefix as sent (percent-encoded), "" at the root. Werkzeug's SCRIPT_NAME. */
  script_name: string;
  /** The path below the mount prefix as sent (percent-encoded), starting with "/". */
  raw_path: string;
  /** The query string as sent, without "?". */
  query_string: string;
  headers: IncomingHttpHeaders;
  remote_addr: string | undefined;
  /** The Node request, when there is one (absent in test contexts). */
  node?: IncomingMessage;
  /** A body given up front (test contexts, or a host stack that buffered it). */
  body?: Buffer;
  /** What ProxyFix replaced (Werkzeug's `werkzeug.proxy_fix.orig`). */
  proxy_fix_orig?: { remote_addr: string | undefined; scheme: string; host: string; script_name: string };
}

/** The User-Agent header as an object, like Werkzeug's UserAgent (`.string`). */
export class UserAgent {
  readonly string: string;
  constructor(value: string) {
    this.string = value;
  }
  toString(): string {
    return this.string;
  }
}

/** What request-body.ts stores once the body has been read and parsed. */
export interface ParsedBody {
  /** The raw bytes get_data() returns (empty for multipart, which is never kept whole). */
  data: Buffer;
  form: MultiDict;
  files: MultiDict<FileStorage>;
  /** A value the host stack already parsed (express.json()). */
  json?: { value: unknown };
  /** The body could not be read (413 over MAX_CONTENT_LENGTH, 400 client gone): every body accessor raises it. */
  error?: HTTPException;
  /** The form could not be parsed within its limits (413): form, files and values raise it. */
  formError?: HTTPException;
  /** Removes temporary files; called once when the request ends. */
  cleanup?: () => void;
}

function currentConfig(): Record<string, unknown> | undefined {
  return has_app_context() ? (requireAppContext().app.config as Record<string, unknown>) : undefined;
}

function configNumber(key: string, fallback: number | null): number | null {
  const config = currentConfig();
  if (config === undefined) return fallback;
  const value = config[key];
  return value === null || value === undefined ? null : Number(value);
}

const FORM_MIMETYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
const HOST_RE = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/i;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The current request (read it through the `request` proxy).
 *
 * @example
 * app.route("/search", () => {
 *   const q = request.args.get("q", "");
 *   return `${request.method} ${request.path} ${q}`;
 * });
 */
export class Request {
  readonly environ: Environ;
  /** The rule that matched, set by routing. */
  url_rule: Rule | null = null;
  /** The arguments the rule matched, set by routing. */
  view_args: Record<string, unknown> | null = null;
  /** The routing error (404, 405, redirect) when no rule matched; raised at dispatch. */
  routing_exception: Error | null = null;
  /** Set by request-body.ts before hooks run. */
  _body: ParsedBody | undefined;
  #path: string | undefined;
  #args: MultiDict | undefined;
  #headers: Headers | undefined;
  #cookies: MultiDict | undefined;
  #formRead = false;
  #data: Buffer | undefined;
  #json: [unknown, unknown] = [undefined, undefined];
  #jsonCached: [boolean, boolean] = [false, false];

  constructor(environ: Environ) {
    this.environ = environ;
  }

  /** The HTTP method, uppercase. */
  get method(): string {
    return this.environ.method;
  }

  /** The path below the mount point, percent-decoded, always starting with "/". */
  get path(): string {
    return (this.#path ??= percentDecode(this.environ.raw_path));
  }

  /** Path plus "?" and the raw query string (the "?" is always there, as in Werkzeug). */
  get full_path(): string {
    return `${this.path}?${this.environ.query_string}`;
  }

  /** The mount prefix, decoded, without a trailing slash (Express's `baseUrl`). */
  get script_root(): string {
    return percentDecode(this.environ.script_name).replace(/\/+$/, "");
  }

  /** Alias Werkzeug also offers. */
  get root_path(): string {
    return this.script_root;
  }

  get scheme(): string {
    return this.environ.scheme;
  }

  /** True for https (and wss). */
  get is_secure(): boolean {
    return this.environ.scheme === "https" || this.environ.scheme === "wss";
  }

  /**
   * The host the client asked for, without the scheme's default port; "" when the Host value
   * has characters no host name can have (Werkzeug 3.1's get_host).
   */
  get host(): string {
    let host = this.environ.host;
    const scheme = this.environ.scheme;
    if ((scheme === "http" || scheme === "ws") && host.endsWith(":80")) host = host.slice(0, -3);
    else if ((scheme === "https" || scheme === "wss") && host.endsWith(":443")) host = host.slice(0, -4);
    return HOST_RE.test(host) ? host : "";
  }

  /** "http://host/" */
  get host_url(): string {
    return `${this.scheme}://${this.host}/`;
  }

  /** "http://host/mount/" */
  get url_root(): string {
    return `${this.scheme}://${this.host}${quote(this.script_root)}/`;
  }

  /** The URL without the query string. */
  get base_url(): string {
    return `${this.scheme}://${this.host}${quote(this.script_root)}/${quote(this.path.replace(/^\/+/, ""))}`;
  }

  /** The full URL, query string included, quoted as Werkzeug quotes it. */
  get url(): string {
    const query = this.environ.query_string;
    return query ? `${this.base_url}?${quote(query, ":&%=+$!*'(),")}` : this.base_url;
  }

  /** The raw query string bytes as text. */
  get query_string(): string {
    return this.environ.query_string;
  }

  /** URL query arguments: `+` is a space, escapes that are not UTF-8 stay as `%XX` (Werkzeug). */
  get args(): MultiDict {
    if (this.#args === undefined) {
      const raw = Buffer.from(this.environ.query_string, "latin1");
      let text: string;
      try {
        text = strictUtf8.decode(raw);
      } catch {
        text = raw.toString("utf8");
      }
      this.#args = new MultiDict(parse_qsl(text), true);
    }
    return this.#args;
  }

  /** The request headers; lookups are case-insensitive. */
  get headers(): Headers {
    if (this.#headers === undefined) {
      const node = this.environ.node;
      const headers = new Headers();
      // The raw list keeps the client's spelling and order, unless middleware (ProxyFix) changed the headers.
      if (node !== undefined && node.headers === this.environ.headers && node.rawHeaders.length) {
        const raw = node.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.add(raw[i]!, raw[i + 1]!);
      } else {
        for (const [k, v] of Object.entries(this.environ.headers)) {
          if (Array.isArray(v)) for (const item of v) headers.add(k, item);
          else if (v !== undefined) headers.add(k, v);
        }
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /**
   * Cookies sent with the request, parsed from the Cookie header as Werkzeug parses it, whether
   * or not cookie-parser ran upstream. A cookie-parser signed cookie appears here as sent
   * (`s:value.signature`); its verified value is in {@link signed_cookies}.
   */
  get cookies(): MultiDict {
    return (this.#cookies ??= new MultiDict(parse_cookie(this.environ.headers.cookie), true));
  }

  /**
   * Signed cookies that cookie-parser (mounted upstream with a secret) verified, by name, with
   * their unsigned values; cookies whose signature failed are left out. Empty without it.
   *
   * @example
   * server.use(cookieParser("secret"));
   * request.signed_cookies.get("remember");   // the value cookie-parser verified
   */
  get signed_cookies(): MultiDict {
    const signed = (this.environ.node as { signedCookies?: Record<string, unknown> } | undefined)?.signedCookies ?? {};
    const pairs: [string, string][] = [];
    for (const [key, value] of Object.entries(signed)) {
      if (value !== false && value !== undefined) pairs.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
    }
    return new MultiDict(pairs, true);
  }

  /** The client address (after ProxyFix, the one the trusted proxies saw). */
  get remote_addr(): string | undefined {
    return this.environ.remote_addr;
  }

  /** Every address from X-Forwarded-For (client first), else [remote_addr]. Not trustworthy without ProxyFix. */
  get access_route(): string[] {
    const forwarded = this.environ.headers["x-forwarded-for"];
    if (forwarded !== undefined) return parse_list_header(Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
    return this.remote_addr === undefined ? [] : [this.remote_addr];
  }

  get user_agent(): UserAgent {
    return new UserAgent(this.environ.headers["user-agent"] ?? "");
  }

  /** The Authorization header, parsed; null when absent or undecodable. */
  get authorization(): Authorization | null {
    return Authorization.from_header(this.environ.headers.authorization);
  }

  /** The endpoint of the matched rule. */
  get endpoint(): string | null {
    return this.url_rule?.endpoint ?? null;
  }

  /** The name of the (innermost) blueprint that owns the matched endpoint. */
  get blueprint(): string | null {
    const endpoint = this.endpoint;
    if (endpoint === null || !endpoint.includes(".")) return null;
    return endpoint.slice(0, endpoint.lastIndexOf("."));
  }

  /** Every blueprint the endpoint belongs to, innermost first ("a.b", "a"). */
  get blueprints(): string[] {
    const name = this.blueprint;
    if (name === null) return [];
    const parts = name.split(".");
    return parts.map((_, i) => parts.slice(0, parts.length - i).join("."));
  }

  get content_type(): string | undefined {
    return this.environ.headers["content-type"];
  }

  /** The content type without parameters, lowercased. */
  get mimetype(): string {
    return parse_options_header(this.content_type)[0].toLowerCase();
  }

  /** The content type's parameters, names lowercased ({ charset: "utf-8", boundary: "..." }). */
  get mimetype_params(): Record<string, string> {
    return parse_options_header(this.content_type)[1];
  }

  /** Content-Length as a number; null when absent, invalid, or the body is chunked. */
  get content_length(): number | null {
    const headers = this.environ.headers;
    if (headers["transfer-encoding"] !== undefined) return null;
    const value = headers["content-length"]?.trim();
    if (value === undefined || !/^\d+$/.test(value)) return null;
    return Number(value);
  }

  /** True for application/json and application/*+json. */
  get is_json(): boolean {
    const mt = this.mimetype;
    return mt === "application/json" || (mt.startsWith("application/") && mt.endsWith("+json"));
  }

  /** The app's MAX_CONTENT_LENGTH (Flask's `request.max_content_length`). */
  get max_content_length(): number | null {
    return configNumber("MAX_CONTENT_LENGTH", null);
  }

  /** The app's MAX_FORM_MEMORY_SIZE: the largest non-file multipart field, in bytes. */
  get max_form_memory_size(): number | null {
    return configNumber("MAX_FORM_MEMORY_SIZE", 500_000);
  }

  /** The app's MAX_FORM_PARTS: the most parts a multipart body may have. */
  get max_form_parts(): number | null {
    return configNumber("MAX_FORM_PARTS", 1_000);
  }

  /**
   * Where an uploaded file is written while the body is parsed (Werkzeug's `_get_file_stream`):
   * 500 KiB in memory, then a temporary file. Override it in a Request subclass (set as
   * `app.request_class`) to change the threshold or the directory.
   */
  _get_file_stream(_info: { total_content_length: number | null; content_type: string | null; filename: string; content_length: number | null }): SpooledTemporaryFile {
    return new SpooledTemporaryFile();
  }

  #checkBody(form: boolean): ParsedBody | undefined {
    const body = this._body;
    if (body?.error !== undefined) throw body.error;
    if (form && body?.formError !== undefined) throw body.formError;
    return body;
  }

  /** Form fields of urlencoded and multipart bodies. */
  get form(): MultiDict {
    const body = this.#checkBody(true);
    this.#formRead = true;
    return body?.form ?? EMPTY;
  }

  /** Uploaded files of multipart bodies, as FileStorage objects. */
  get files(): MultiDict<FileStorage> {
    const body = this.#checkBody(true);
    this.#formRead = true;
    return body?.files ?? EMPTY;
  }

  /** args and form together, args first (Werkzeug's `values`); GET requests get args only. */
  get values(): MultiDict {
    return this.method === "GET" ? new CombinedMultiDict([this.args]) : new CombinedMultiDict([this.args, this.form]);
  }

  /** The raw body, except for form bodies, where it is empty (Werkzeug's `data`). */
  get data(): Buffer {
    if (FORM_MIMETYPES.has(this.mimetype)) this.#formRead = true;
    return this.get_data();
  }

  /**
   * The raw body bytes, or text with `as_text` (invalid UTF-8 replaced). As in Werkzeug, a form
   * body stays available here only when get_data() is called before the form is read; multipart
   * bodies are never kept whole.
   */
  get_data(as_text?: false): Buffer;
  get_data(as_text: true): string;
  get_data(options: { as_text: true; cache?: boolean; parse_form_data?: boolean }): string;
  get_data(options?: { as_text?: false; cache?: boolean; parse_form_data?: boolean }): Buffer;
  get_data(options: boolean | { as_text?: boolean; cache?: boolean; parse_form_data?: boolean } = false): Buffer | string {
    const { as_text = false, parse_form_data = false } = typeof options === "boolean" ? { as_text: options } : options;
    const body = this.#checkBody(false);
    if (parse_form_data && FORM_MIMETYPES.has(this.mimetype)) this.#formRead = true;
    if (this.#data === undefined) {
      const raw = body?.data ?? EMPTY_BUFFER;
      this.#data = this.#formRead && FORM_MIMETYPES.has(this.mimetype) ? EMPTY_BUFFER : raw;
    }
    return as_text ? this.#data.toString("utf8") : this.#data;
  }

  /** Releases what the body holds (temporary upload files); the app calls it when the request ends. */
  close(): void {
    const body = this._body;
    const cleanup = body?.cleanup;
    if (body !== undefined) delete body.cleanup;
    cleanup?.();
  }

  /** The parsed JSON body (Werkzeug's `json`): get_json() with its defaults. */
  get json(): any {
    return this.get_json();
  }

  /**
   * Parses the body as JSON. Werkzeug 3 rules: a non-JSON content type is a 415 unless `force`,
   * malformed JSON (or bytes that are not UTF-8/16/32) is a 400; `silent` turns both into null.
   * A body express.json() already parsed is returned as it parsed it.
   */
  get_json({ force = false, silent = false, cache = true }: { force?: boolean; silent?: boolean; cache?: boolean } = {}): any {
    const slot = silent ? 1 : 0;
    if (cache && this.#jsonCached[slot]) return this.#json[slot];
    if (!force && !this.is_json) {
      if (silent) return null;
      throw new UnsupportedMediaType("Did not attempt to load JSON data because the request Content-Type was not 'application/json'.");
    }
    const body = this.#checkBody(false);
    let value: unknown;
    if (body?.json !== undefined) {
      value = body.json.value;
    } else {
      try {
        value = loadJson(body?.data ?? EMPTY_BUFFER);
      } catch (error) {
        if (!silent) throw jsonError(error);
        value = null;
      }
    }
    if (cache) {
      this.#json[slot] = value;
      this.#jsonCached[slot] = true;
      if (!silent) {
        this.#json[1] = value;
        this.#jsonCached[1] = true;
      }
    }
    return value;
  }
}

/** Python's json.loads on bytes: UTF-8 (BOM allowed), UTF-16 or UTF-32 detected, strictly decoded. */
function loadJson(data: Buffer): unknown {
  const text = decodeJsonBytes(data);
  const app = has_app_context() ? requireAppContext().app : undefined;
  return app !== undefined ? app.json.loads(text) : JSON.parse(text);
}

function decodeJsonBytes(data: Buffer): string {
  const b = data;
  let encoding = "utf-8";
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return strictUtf8.decode(b.subarray(3));
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) encoding = b[0] === 0xff ? "utf-16le" : "utf-16be";
  else if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0) throw new TypeError("UTF-32 JSON is not supported.");
  else if (b.length >= 2 && b[0] === 0 && b[1] !== 0) encoding = "utf-16be";
  else if (b.length >= 2 && b[0] !== 0 && b[1] === 0 && !(b[2] === 0 && b[3] === 0)) encoding = "utf-16le";
  return new TextDecoder(encoding, { fatal: true }).decode(b);
}

/** Flask shows the parser's message only in debug mode; the generic 400 otherwise. */
function jsonError(error: unknown): BadRequest {
  const debug = has_app_context() && requireAppContext().app.debug;
  const failure = new BadRequest(debug ? `Failed to decode JSON object: ${(error as Error).message}` : null);
  failure.cause = error;
  return failure;
}

const EMPTY: MultiDict<any> = new MultiDict<any>(undefined, true);
const EMPTY_BUFFER = Buffer.alloc(0);
