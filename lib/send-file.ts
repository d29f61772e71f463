// send_file (Flask's helper over Werkzeug's): a file path, Buffer or stream as a Response with
// Werkzeug's headers (Content-Disposition, Cache-Control, ETag, Last-Modified, Accept-Ranges) and
// its conditional and range handling (304, 412, 206, 416). Owns those headers only: no routing,
// no path safety (static-files.ts checks paths before calling this).

import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import fresh from "fresh";
import mime from "mime-types";
import parseRange from "range-parser";
import { requireAppContext, requestContext } from "./context.js";
import { Headers } from "./headers.js";
import { RequestedRangeNotSatisfiable } from "./http-exceptions.js";
import { Response } from "./response.js";
import { quote } from "./urls.js";

/** What send_file can send: a path (relative to the app's root_path), bytes, or a stream. */
export type SendFileSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** Options of {@link send_file}: Flask's keyword arguments. */
export interface SendFileOptions {
  /** Defaults to the type guessed from `download_name` (or the path's name). */
  mimetype?: string;
  /** `Content-Disposition: attachment` instead of `inline`. */
  as_attachment?: boolean;
  /** The name the browser shows or saves as; non-ASCII names also get the RFC 5987 `filename*` form. */
  download_name?: string;
  /** Answer conditional and range requests (304, 412, 206, 416). Default true. */
  conditional?: boolean;
  /** true: Werkzeug's ETag from mtime, size and path; a string: that ETag; false: none. */
  etag?: boolean | string;
  /** Overrides the file's modification time. */
  last_modified?: Date | number | string;
  /** Seconds for Cache-Control max-age; null: `no-cache`. Default: SEND_FILE_MAX_AGE_DEFAULT. */
  max_age?: number | null | ((path: string | null) => number | null);
}

// Python's mimetypes strips these encodings before guessing the type, and Werkzeug sends them as
// Content-Encoding (a .tar.gz is application/x-tar, gzip-encoded).
const ENCODINGS: Record<string, string> = { ".gz": "gzip", ".Z": "compress", ".bz2": "bzip2", ".xz": "xz", ".br": "br" };
const SUFFIXES: Record<string, string> = { ".svgz": ".svg.gz", ".tgz": ".tar.gz", ".taz": ".tar.gz", ".tz": ".tar.gz", ".tbz2": ".tar.bz2", ".txz": ".tar.xz" };

/** Python's `mimetypes.guess_type`: [mimetype or null, encoding or null]. */
export function guessType(name: string): [string | null, string | null] {
  let ext = path.extname(name);
  if (SUFFIXES[ext] !== undefined) {
    name = name.slice(0, -ext.length) + SUFFIXES[ext];
    ext = path.extname(name);
  }
  let encoding: string | null = null;
  if (ENCODINGS[ext] !== undefined) {
    encoding = ENCODINGS[ext]!;
    name = name.slice(0, -ext.length);
  }
  return [mime.lookup(name) || null, encoding];
}

/** zlib's adler32, which Werkzeug uses for the path part of a file's ETag. */
export function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Python's repr of a float, as Werkzeug writes the mtime into the ETag. */
function pyFloatRepr(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
}

/** Werkzeug's file ETag: `"<mtime>-<size>-<adler32(path)>"`, mtime as Python's st_mtime float. */
export function fileEtag(filePath: string, mtimeNs: bigint, size: number): string {
  const mtime = Number(mtimeNs / 1_000_000_000n) + Number(mtimeNs % 1_000_000_000n) * 1e-9;
  return `"${pyFloatRepr(mtime)}-${size}-${adler32(filePath)}"`;
}

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/;

/** Werkzeug's `quote_header_value`: tokens bare, anything else quoted with `\` escapes. */
function quoteHeaderValue(value: string): string {
  if (value === "") return '""';
  return TOKEN.test(value) ? value : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Content-Disposition as Werkzeug writes it, with `filename*=UTF-8''...` for non-ASCII names. */
export function contentDisposition(download_name: string, as_attachment: boolean): string {
  const kind = as_attachment ? "attachment" : "inline";
  if (/^[\x00-\x7f]*$/.test(download_name)) return `${kind}; filename=${quoteHeaderValue(download_name)}`;
  const simple = download_name.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  return `${kind}; filename=${quoteHeaderValue(simple)}; filename*=UTF-8''${quote(download_name, "!#$&+-.^_`|~")}`;
}

function toDate(value: Date | number | string): Date {
  return value instanceof Date ? value : typeof value === "number" ? new Date(value * 1000) : new Date(value);
}

/** Entity tags of an If-Match / If-Range style header: strong ones, and whether it was `*`. */
function parseEtags(value: string | undefined): { star: boolean; strong: Set<string>; any: boolean } {
  const strong = new Set<string>();
  if (!value) return { star: false, strong, any: false };
  if (value.trim() === "*") return { star: true, strong, any: true };
  let any = false;
  for (const match of value.matchAll(/\s*(W\/)?(?:"([^"]*)"|([^,\s]+))\s*(?:,|$)/gi)) {
    const tag = match[2] ?? match[3];
    if (tag === undefined) continue;
    any = true;
    if (!match[1]) strong.add(tag);
  }
  return { star: false, strong, any };
}

type RequestHeaders = Record<string, string | string[] | undefined>;
const header = (headers: RequestHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

/**
 * Werkzeug's `is_resource_modified`. If-None-Match (weak comparison, via `fresh`) wins over
 * If-Modified-Since; If-Match uses the strong comparison; If-Range only counts for ranges.
 */
function isResourceModified(headers: RequestHeaders, etag: string | undefined, lastModified: string | undefined, ignoreIfRange: boolean): boolean {
  const ifRange = ignoreIfRange || header(headers, "range") === undefined ? undefined : header(headers, "if-range");
  const ifRangeDate = ifRange !== undefined && !Number.isNaN(Date.parse(ifRange)) ? ifRange : undefined;
  const since = ifRangeDate ?? header(headers, "if-modified-since");
  // Cache-Control: no-cache in the request does not stop a 304 in Werkzeug, so it is not passed.
  let unmodified = since !== undefined && lastModified !== undefined && fresh({ "if-modified-since": since }, { "last-modified": lastModified });
  if (etag) {
    const bare = etag.replace(/^W\//, "").replace(/^"|"$/g, "");
    if (ifRange !== undefined && ifRangeDate === undefined) {
      unmodified = parseEtags(`"${ifRange.replace(/^W\//, "").replace(/^"|"$/g, "")}"`).strong.has(bare);
    } else {
      const noneMatch = header(headers, "if-none-match");
      if (noneMatch) unmodified = fresh({ "if-none-match": noneMatch }, { etag });
      const ifMatch = parseEtags(header(headers, "if-match"));
      if (ifMatch.any) unmodified = !(ifMatch.star || ifMatch.strong.has(bare));
    }
  }
  return !unmodified;
}

// Werkzeug drops these from a 304 when it sends it.
const ENTITY_HEADERS = ["Content-Type", "Content-Length", "Content-Encoding", "Content-Range", "Content-Language", "Content-Location", "Content-MD5", "Last-Modified", "Expires", "Allow"];

function fileBody(filePath: string, start: number, end: number): Readable {
  // Opened on first read: a HEAD or 304 that never reads the body never holds a descriptor.
  return Readable.from((async function* read() {
    yield* fs.createReadStream(filePath, { start, end });
  })(), { objectMode: false });
}

function isStreamSource(value: unknown): value is Readable | AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) && (Symbol.asyncIterator in value || typeof (value as Readable).pipe === "function");
}

/**
 * Sends a file, bytes or a stream (Flask's `send_file`). Paths are relative to the app's
 * `root_path`; the type is guessed from the name; conditional requests get 304/412 and Range
 * requests 206/416 as in Werkzeug. Streams are piped, never read into memory. Use it inside a
 * request; prefer {@link send_from_directory} for names that come from the URL.
 *
 * @example
 * app.get("/report", () => send_file("reports/latest.pdf", { as_attachment: true, download_name: "rapport été.pdf" }));
 * app.get("/avatar", () => send_file(pngBuffer, { mimetype: "image/png" }));
 * app.get("/log", () => send_file(fs.createReadStream("big.log"), { download_name: "big.log" }));
 */
export function send_file(path_or_file: SendFileSource, options: SendFileOptions = {}): Response {
  const app = requireAppContext().app;
  const ctx = requestContext();
  const { as_attachment = false, conditional = true, etag = true } = options;
  let filePath: string | null = null;
  let size: number | null = null;
  let mtimeNs: bigint | null = null;
  if (typeof path_or_file === "string") {
    filePath = path.resolve(app.root_path, path_or_file);
    const stat = fs.statSync(filePath, { bigint: true });
    size = Number(stat.size);
    mtimeNs = stat.mtimeNs;
  } else if (path_or_file instanceof Uint8Array) {
    size = path_or_file.byteLength;
  } else if (!isStreamSource(path_or_file)) {
    throw new TypeError("send_file() takes a path, a Buffer/Uint8Array or a readable stream.");
  }
  const download_name = options.download_name ?? (filePath !== null ? path.basename(filePath) : undefined);

  const headers = new Headers();
  let mimetype = options.mimetype;
  if (mimetype === undefined) {
    if (download_name === undefined) {
      throw new TypeError("Unable to detect the MIME type because a file name is not available. Either set 'download_name', pass a path instead of a file, or set 'mimetype'.");
    }
    const [guessed, encoding] = guessType(download_name);
    mimetype = guessed ?? "application/octet-stream";
    // An encoding on an attachment makes browsers save the decompressed .tar.gz.
    if (encoding !== null && !as_attachment) headers.set("Content-Encoding", encoding);
  }
  if (download_name !== undefined) headers.set("Content-Disposition", contentDisposition(download_name, as_attachment));
  else if (as_attachment) throw new TypeError("No name provided for attachment. Either set 'download_name' or pass a path instead of a file.");

  if (size !== null) headers.set("Content-Length", size);
  const lastModified = options.last_modified !== undefined ? toDate(options.last_modified) : mtimeNs !== null ? new Date(Number(mtimeNs / 1_000_000n)) : null;
  if (lastModified !== null) headers.set("Last-Modified", lastModified.toUTCString());

  let max_age = options.max_age === undefined ? ((app.config.SEND_FILE_MAX_AGE_DEFAULT as number | null | undefined) ?? null) : options.max_age;
  if (typeof max_age === "function") max_age = max_age(filePath);
  if (max_age === null) headers.set("Cache-Control", "no-cache");
  else {
    headers.set("Cache-Control", max_age > 0 ? `public, max-age=${max_age}` : `no-cache, max-age=${max_age}`);
    headers.set("Expires", new Date((Math.floor(Date.now() / 1000) + max_age) * 1000).toUTCString());
  }
  if (typeof etag === "string") headers.set("ETag", /^(W\/)?"/.test(etag) ? etag : `"${etag}"`);
  else if (etag && filePath !== null) headers.set("ETag", fileEtag(filePath, mtimeNs!, size!));

  const method = ctx?.request.method ?? "GET";
  let range: [start: number, end: number] | null = null;
  let status = 200;
  if (conditional && (method === "GET" || method === "HEAD")) {
    const reqHeaders = (ctx?.request.environ.headers ?? {}) as RequestHeaders;
    headers.set("Accept-Ranges", "bytes");
    const rangeHeader = header(reqHeaders, "range");
    const processable = size !== null && size > 0 && rangeHeader !== undefined
      && (header(reqHeaders, "if-range") === undefined || !isResourceModified(reqHeaders, headers.get("ETag"), headers.get("Last-Modified"), false));
    if (processable) {
      const parsed = parseRange(size!, rangeHeader!, { combine: false });
      const only = Array.isArray(parsed) && parsed.type === "bytes" && parsed.length === 1 ? parsed[0]! : null;
      if (only === null) throw new RequestedRangeNotSatisfiable(size!);
      range = [only.start, only.end];
      status = 206;
      headers.set("Content-Length", only.end - only.start + 1);
      headers.set("Content-Range", `bytes ${only.start}-${only.end}/${size}`);
    } else if (!isResourceModified(reqHeaders, headers.get("ETag"), headers.get("Last-Modified"), true)) {
      status = parseEtags(header(reqHeaders, "if-match")).any ? 412 : 304;
    }
  }

  if (status === 304) {
    for (const name of ENTITY_HEADERS) headers.delete(name);
    const response = new app.response_class(null, { status, headers, mimetype });
    for (const name of ENTITY_HEADERS) response.headers.delete(name);
    return response;
  }
  const length = headers.get("Content-Length");
  let body: Uint8Array | Readable | AsyncIterable<Uint8Array>;
  if (filePath !== null) body = fileBody(filePath, range?.[0] ?? 0, range?.[1] ?? Math.max(size! - 1, 0));
  else if (path_or_file instanceof Uint8Array) body = range === null ? path_or_file : path_or_file.subarray(range[0], range[1] + 1);
  else body = path_or_file as Readable | AsyncIterable<Uint8Array>;
  const response = new app.response_class(size === 0 ? "" : (body as Readable), { status, headers, mimetype });
  if (length !== undefined) response.headers.set("Content-Length", length);
  return response;
}
