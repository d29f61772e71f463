// Request: Flask's request object, the sans-IO view of the request (sansio-request.ts) plus
// routing info, Flask's body limits and the accessors of the body (form, files, data, json)
// that request-body.ts fills in `_body` before the view runs. Never writes to Node's req.

import { has_app_context, requireAppContext } from "./context.js";
import type { FileStorage } from "./file-storage.js";
import { BadRequest, UnsupportedMediaType, type HTTPException } from "./http-exceptions.js";
import { MultiDict, CombinedMultiDict } from "./multidict.js";
import type { Rule } from "./rule.js";
import { SansioRequest } from "./sansio-request.js";
import { SpooledTemporaryFile } from "./spooled-file.js";

export { SansioRequest, UserAgent, type Environ } from "./sansio-request.js";

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
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const NO_BLUEPRINTS: readonly string[] = Object.freeze([]);

/**
 * The current request (read it through the `request` proxy).
 *
 * @example
 * app.route("/search", () => {
 *   const q = request.args.get("q", "");
 *   return `${request.method} ${request.path} ${q}`;
 * });
 */
export class Request extends SansioRequest {
  /** The rule that matched, set by routing. */
  url_rule: Rule | null = null;
  /** The arguments the rule matched, set by routing. */
  view_args: Record<string, unknown> | null = null;
  /** The routing error (404, 405, redirect) when no rule matched; raised at dispatch. */
  routing_exception: Error | null = null;
  /** Set by request-body.ts before hooks run. */
  _body: ParsedBody | undefined;
  #formRead = false;
  #data: Buffer | undefined;
  // Parsed JSON per mode ([strict, silent]), made on first get_json(): most requests never parse JSON.
  #json: [unknown, unknown] | undefined;
  #jsonCached: [boolean, boolean] | undefined;

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

  /** Every blueprint the endpoint belongs to, innermost first ("a.b", "a"). Computed once per rule. */
  get blueprints(): readonly string[] {
    const rule = this.url_rule;
    if (rule === null) return NO_BLUEPRINTS;
    let names = rule._blueprints;
    if (names === undefined) {
      const name = this.blueprint;
      const parts = name === null ? [] : name.split(".");
      names = rule._blueprints = Object.freeze(parts.map((_, i) => parts.slice(0, parts.length - i).join(".")));
    }
    return names;
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
   *
   * @example
   * class BigUploads extends Request {
   *   override _get_file_stream() { return new SpooledTemporaryFile(10 * 1024 * 1024, "/var/tmp/uploads"); }
   * }
   * app.request_class = BigUploads;
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
   *
   * @example
   * const raw = request.get_data();          // Buffer
   * const text = request.get_data(true);     // string
   * request.get_data({ as_text: true, parse_form_data: true });   // "" for a form body: the form is parsed instead
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

  /**
   * Releases what the body holds (temporary upload files); the app calls it when the request ends.
   *
   * @example
   * request.close();   // deletes spooled upload files now rather than when the request ends
   */
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
   *
   * @example
   * const data = request.get_json();                      // 415 for a non-JSON Content-Type, 400 when malformed
   * const maybe = request.get_json({ silent: true });     // null instead of an error
   * const any = request.get_json({ force: true });        // whatever the Content-Type
   */
  get_json({ force = false, silent = false, cache = true }: { force?: boolean; silent?: boolean; cache?: boolean } = {}): any {
    const slot = silent ? 1 : 0;
    if (cache && this.#jsonCached?.[slot]) return this.#json![slot];
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
      const json = (this.#json ??= [undefined, undefined]);
      const cached = (this.#jsonCached ??= [false, false]);
      json[slot] = value;
      cached[slot] = true;
      if (!silent) {
        json[1] = value;
        cached[1] = true;
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
