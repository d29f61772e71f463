// Response: the object a view's return value becomes (Werkzeug's Response wrapper).
// Owns status, headers, body and cookies; never touches Node's `res` (the adapter writes it).

import type { Readable } from "node:stream";
import { dump_cookie, type CookieOptions } from "./cookies.js";
import { Headers, type HeadersInit } from "./headers.js";
import { memoize } from "./memo.js";
import { HTTP_STATUS_CODES } from "./status-codes.js";

/** A body that is produced piece by piece and streamed to the client. */
export type StreamBody =
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Readable;

/** Everything a Response body may be built from. */
export type ResponseBody = string | Uint8Array | StreamBody | null | undefined;

/** Options of `new Response(body, init)`: status (a code or a status line), headers, mimetype or a full content_type. */
export interface ResponseInit {
  status?: number | string;
  headers?: HeadersInit;
  mimetype?: string;
  content_type?: string;
}

const TEXT_MIMETYPES = /^(?:text\/.*|application\/(?:ecmascript|javascript|sql|xml|xml-dtd|xml-external-parsed-entity)|.*\+xml)$/;

/** Werkzeug appends `; charset=utf-8` to text, XML and script mimetypes only (not JSON). */
export const contentTypeFor = memoize((mimetype: string): string =>
  TEXT_MIMETYPES.test(mimetype) && !mimetype.includes("charset=") ? `${mimetype}; charset=utf-8` : mimetype,
);

// Most responses are made without options: one shared empty set of them.
const NO_INIT: ResponseInit = Object.freeze({});

/** "404 NOT FOUND": Werkzeug's status text, built once per code rather than per response. */
const STATUS_LINES = new Map(Object.entries(HTTP_STATUS_CODES).map(([code, phrase]) => [Number(code), `${code} ${phrase.toUpperCase()}`]));

function isStream(body: unknown): body is StreamBody {
  return (
    typeof body === "object" &&
    body !== null &&
    (Symbol.asyncIterator in body || Symbol.iterator in body || typeof (body as Readable).pipe === "function")
  );
}

/**
 * An HTTP response: status, headers and a body that is either a fixed byte string or a stream.
 *
 * @example
 * const resp = new Response("<p>created</p>", { status: 201 });
 * resp.headers.set("X-Something", "A value");
 * resp.set_cookie("username", "the username");
 * return resp;
 */
export class Response {
  /** Default mimetype for bodies without one; Flask's is text/html. */
  static default_mimetype = "text/html";

  headers: Headers;
  #statusCode = 200;
  #status = "200 OK";
  #data: Buffer | null = null;
  #text: string | null = null;
  #stream: StreamBody | null = null;
  #onClose: (() => void)[] | null = null;
  /** Flask's MAX_COOKIE_SIZE, set by the app when it finalizes the response. */
  max_cookie_size = 4093;

  constructor(body?: ResponseBody, init: ResponseInit = NO_INIT) {
    const given = init.headers;
    // Text with no headers given (most responses): set_data's work is done here, so that both
    // headers go into one list of exactly their size.
    const text = typeof body === "string" && given === undefined && init.content_type === undefined && this.set_data === PLAIN_SET_DATA;
    if (given === undefined && init.content_type === undefined) {
      // No headers given: nothing to look through or replace.
      const type = contentTypeFor(init.mimetype ?? (this.constructor as typeof Response).default_mimetype);
      this.headers = Headers._of_flat(text ? ["Content-Type", type, "Content-Length", String(Buffer.byteLength(body, "utf8"))] : ["Content-Type", type]);
    } else {
      this.headers = given instanceof Headers ? given : new Headers(given);
      if (init.content_type !== undefined) this.headers.set("Content-Type", init.content_type);
      else if (!this.headers.has("Content-Type")) {
        this.headers.add("Content-Type", contentTypeFor(init.mimetype ?? (this.constructor as typeof Response).default_mimetype));
      }
    }
    if (init.status !== undefined) this.status = init.status;
    if (text) this.#text = body;
    else if (body instanceof String) this.set_data(String(body));
    else if (isStream(body) && typeof body !== "string" && !(body instanceof Uint8Array)) this.#stream = body;
    else this.set_data(body ?? "");
  }

  /** The numeric status, e.g. 404. */
  get status_code(): number {
    return this.#statusCode;
  }

  set status_code(code: number) {
    this.status = code;
  }

  /** The status line text, e.g. "404 NOT FOUND", as Werkzeug formats it. */
  get status(): string {
    return this.#status;
  }

  set status(value: number | string) {
    if (typeof value === "number") {
      if (!Number.isInteger(value) || value < 100 || value > 999) {
        throw new RangeError(`Invalid status code ${value}: use an integer from 100 to 999.`);
      }
      this.#statusCode = value;
      this.#status = STATUS_LINES.get(value) ?? `${value} UNKNOWN`;
      return;
    }
    const match = /^\s*(\d{3})(?:\s+(.*))?$/.exec(value);
    if (match === null) throw new TypeError(`Invalid status ${JSON.stringify(value)}: it must start with a 3-digit code.`);
    this.#statusCode = Number(match[1]);
    this.#status = match[2] ? `${match[1]} ${match[2]}` : STATUS_LINES.get(this.#statusCode) ?? `${match[1]} UNKNOWN`;
  }

  /** True when the body is a stream rather than fixed bytes. */
  get is_streamed(): boolean {
    return this.#stream !== null;
  }

  /** The streamed body, when there is one (the adapter pipes it). */
  get stream(): StreamBody | null {
    return this.#stream;
  }

  /** The body bytes. Reading a streamed response's data is not supported synchronously. */
  get data(): Buffer {
    return this.get_data();
  }

  set data(value: string | Uint8Array) {
    this.set_data(value);
  }

  /**
   * The body as bytes, or as text with `as_text` (Werkzeug's `get_data`); throws for a streamed body.
   *
   * @example
   * resp.get_data();       // <Buffer ...>
   * resp.get_data(true);   // the body as a string
   */
  get_data(as_text?: false): Buffer;
  get_data(as_text: true): string;
  get_data(as_text = false): Buffer | string {
    if (this.#text !== null) return as_text ? this.#text : (this.#data ??= Buffer.from(this.#text, "utf8"));
    if (this.#data === null) {
      throw new TypeError("This response is streamed: its body is produced while it is sent and cannot be read here.");
    }
    return as_text ? this.#data.toString("utf8") : this.#data;
  }

  /**
   * Replaces the body and sets Content-Length.
   *
   * @example
   * resp.set_data(JSON.stringify({ ok: true }));   // Content-Length follows
   */
  set_data(value: string | Uint8Array): void {
    this.#stream = null;
    if (typeof value === "string") {
      // Text stays text until someone asks for bytes: Node writes a string body in the same
      // packet as the headers, a Buffer in a second write.
      this.#text = value;
      this.#data = null;
      this.headers.set("Content-Length", Buffer.byteLength(value, "utf8"));
      return;
    }
    this.#text = null;
    this.#data = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.headers.set("Content-Length", this.#data.length);
  }

  /** The fixed body as the adapter writes it: the text when it was given as text, else the bytes. */
  get _body_for_write(): string | Buffer {
    return this.#text ?? this.get_data();
  }

  /**
   * The Content-Type without parameters, lowercased; setting it adds `; charset=utf-8` to text types, as Werkzeug does.
   *
   * @example
   * new Response("x", { content_type: "text/HTML; charset=utf-8" }).mimetype;   // "text/html"
   * resp.mimetype = "text/plain";   // Content-Type: text/plain; charset=utf-8
   */
  get mimetype(): string | undefined {
    const ct = this.headers.get("Content-Type");
    return ct?.split(";", 1)[0]?.trim().toLowerCase();
  }

  set mimetype(value: string) {
    this.headers.set("Content-Type", contentTypeFor(value));
  }

  /**
   * The Content-Type parameters, e.g. `{ charset: "utf-8" }` (Werkzeug's `mimetype_params`).
   *
   * @example
   * new Response("").mimetype_params;   // { charset: "utf-8" }
   */
  get mimetype_params(): Record<string, string> {
    const params: Record<string, string> = {};
    for (const part of (this.headers.get("Content-Type") ?? "").split(";").slice(1)) {
      const [k, ...rest] = part.split("=");
      if (k && rest.length) params[k.trim().toLowerCase()] = rest.join("=").trim().replace(/^"|"$/g, "");
    }
    return params;
  }

  /**
   * The Content-Type header as is; setting it replaces the header unchanged.
   *
   * @example
   * resp.content_type = "application/xml; charset=utf-8";
   */
  get content_type(): string | undefined {
    return this.headers.get("Content-Type");
  }

  set content_type(value: string) {
    this.headers.set("Content-Type", value);
  }

  /**
   * The Content-Length header as a number, when set (fixed bodies always have one).
   *
   * @example
   * new Response("héllo").content_length;   // 6 (bytes)
   */
  get content_length(): number | undefined {
    const value = this.headers.get("Content-Length");
    return value === undefined ? undefined : Number(value);
  }

  /**
   * The Location header; the adapter makes it an ASCII URI when sending.
   *
   * @example
   * resp.location = url_for("index");   // sets the Location header
   */
  get location(): string | undefined {
    return this.headers.get("Location");
  }

  set location(value: string) {
    this.headers.set("Location", value);
  }

  /** True for application/json and application/*+json. */
  get is_json(): boolean {
    const mt = this.mimetype ?? "";
    return mt === "application/json" || (mt.startsWith("application/") && mt.endsWith("+json"));
  }

  /** The parsed JSON body (null when the response is not JSON), as Flask's test responses offer. */
  get json(): unknown {
    return this.get_json();
  }

  /**
   * The body parsed as JSON; null for a non-JSON mimetype unless `force`; `silent` gives null for bad JSON.
   *
   * @example
   * const res = await client.get("/api/user");
   * res.get_json();   // { name: "ann" }; null when the response is not JSON
   */
  get_json({ force = false, silent = false }: { force?: boolean; silent?: boolean } = {}): unknown {
    if (!force && !this.is_json) return null;
    try {
      return JSON.parse(this.get_data(true));
    } catch (error) {
      if (silent) return null;
      throw error;
    }
  }

  /**
   * Adds a Set-Cookie header, formatted exactly as Werkzeug formats it.
   *
   * @example
   * resp.set_cookie("username", "the username", { max_age: 3600, httponly: true, samesite: "Lax" });
   */
  set_cookie(key: string, value = "", options: CookieOptions = {}): void {
    this.headers.add("Set-Cookie", dump_cookie(key, value, { max_size: this.max_cookie_size, ...options }));
  }

  /**
   * Expires a cookie in the browser; give the same path and domain it was set with.
   *
   * @example
   * resp.delete_cookie("username");
   * resp.delete_cookie("pref", { path: "/account", domain: "example.com" });
   */
  delete_cookie(key: string, options: Omit<CookieOptions, "max_age" | "expires"> = {}): void {
    this.set_cookie(key, "", { ...options, max_age: 0, expires: 0 });
  }

  /**
   * Registers a function to run once the response has been sent (or the client went away).
   *
   * @example
   * resp.call_on_close(() => file_handle.close());
   */
  call_on_close(fn: () => void): () => void {
    (this.#onClose ??= []).push(fn);
    return fn;
  }

  /** Whether call_on_close() registered anything (the adapter only listens for "close" then). */
  get has_close_callbacks(): boolean {
    return this.#onClose !== null && this.#onClose.length > 0;
  }

  /**
   * Runs the call_on_close functions; the adapter calls this once.
   *
   * @example
   * resp.close();   // runs the call_on_close functions, once
   */
  close(): void {
    const fns = this.#onClose ?? [];
    this.#onClose = null;
    for (const fn of fns) fn();
  }
}

const PLAIN_SET_DATA = Response.prototype.set_data;
