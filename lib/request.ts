// Request: Werkzeug's Request wrapper over one incoming request (an `Environ`).
// Owns the derived URL parts, args, headers and routing info; body parsing lives in
// request-body.ts and fills `_body`. Never writes to Node's req.

import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { parse_cookie } from "./cookies.js";
import { Headers } from "./headers.js";
import { BadRequest, UnsupportedMediaType } from "./http-exceptions.js";
import { MultiDict, CombinedMultiDict } from "./multidict.js";
import type { Rule } from "./rule.js";
import { parseQueryString, percentDecode, quote } from "./urls.js";

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
  data: Buffer;
  form: MultiDict;
  files: MultiDict<any>;
  json?: { value: unknown } | { error: Error };
  /** Removes temporary files; called once when the request ends. */
  cleanup?: () => void;
}

function defaultPort(scheme: string): string {
  return scheme === "https" ? ":443" : ":80";
}

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

  get is_secure(): boolean {
    return this.environ.scheme === "https" || this.environ.scheme === "wss";
  }

  /** The host the client asked for, with the port only when it is not the scheme's default. */
  get host(): string {
    const host = this.environ.host;
    const port = defaultPort(this.environ.scheme);
    return host.endsWith(port) ? host.slice(0, -port.length) : host;
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

  /** URL query arguments. */
  get args(): MultiDict {
    return (this.#args ??= new MultiDict(parseQueryString(this.environ.query_string), true));
  }

  /** The request headers; lookups are case-insensitive. */
  get headers(): Headers {
    if (this.#headers === undefined) {
      const node = this.environ.node;
      const headers = new Headers();
      if (node !== undefined && node.rawHeaders.length) {
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

  /** Cookies sent with the request (the first value of each name wins on lookup). */
  get cookies(): MultiDict {
    return (this.#cookies ??= new MultiDict(parse_cookie(this.environ.headers.cookie), true));
  }

  get remote_addr(): string | undefined {
    return this.environ.remote_addr;
  }

  get user_agent(): UserAgent {
    return new UserAgent(this.environ.headers["user-agent"] ?? "");
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

  get mimetype(): string {
    return (this.content_type ?? "").split(";", 1)[0]!.trim().toLowerCase();
  }

  get mimetype_params(): Record<string, string> {
    const params: Record<string, string> = {};
    for (const part of (this.content_type ?? "").split(";").slice(1)) {
      const eq = part.indexOf("=");
      if (eq > 0) params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    }
    return params;
  }

  get content_length(): number | null {
    const value = this.environ.headers["content-length"];
    if (value === undefined || !/^\d+$/.test(value)) return null;
    return Number(value);
  }

  /** True for application/json and application/*+json. */
  get is_json(): boolean {
    const mt = this.mimetype;
    return mt === "application/json" || (mt.startsWith("application/") && mt.endsWith("+json"));
  }

  /** Form fields of urlencoded and multipart bodies. */
  get form(): MultiDict {
    return this._body?.form ?? EMPTY;
  }

  /** Uploaded files of multipart bodies. */
  get files(): MultiDict<any> {
    return this._body?.files ?? EMPTY;
  }

  /** args and form together, args first (Werkzeug's `values`). */
  get values(): MultiDict {
    return new CombinedMultiDict([this.args, this.form]);
  }

  /** The raw body bytes (empty for form bodies, as in Werkzeug once the form is parsed). */
  get data(): Buffer {
    return this.get_data();
  }

  get_data(as_text?: false): Buffer;
  get_data(as_text: true): string;
  get_data(as_text = false): Buffer | string {
    const data = this._body?.data ?? EMPTY_BUFFER;
    return as_text ? data.toString("utf8") : data;
  }

  /** Releases what the body holds (temporary upload files); the app calls it when the request ends. */
  close(): void {
    this._body?.cleanup?.();
  }

  /** The parsed JSON body (Werkzeug's `json`): get_json() with its defaults. */
  get json(): any {
    return this.get_json();
  }

  /**
   * Parses the body as JSON. Werkzeug 3 rules: a non-JSON content type is a 415 unless `force`,
   * malformed JSON is a 400; `silent` turns both into null.
   */
  get_json({ force = false, silent = false }: { force?: boolean; silent?: boolean } = {}): any {
    if (!force && !this.is_json) {
      if (silent) return null;
      throw new UnsupportedMediaType(
        "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
      );
    }
    const data = this.get_data();
    try {
      return JSON.parse(data.toString("utf8"));
    } catch (error) {
      if (silent) return null;
      // Flask shows the parser's message only in debug mode; the generic 400 otherwise.
      const failure = new BadRequest();
      failure.cause = error;
      throw failure;
    }
  }
}

const EMPTY: MultiDict<any> = new MultiDict<any>(undefined, true);
const EMPTY_BUFFER = Buffer.alloc(0);
