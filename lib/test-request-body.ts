// Request bodies for the test client, as Werkzeug's EnvironBuilder makes them: `json` as JSON,
// a form object as application/x-www-form-urlencoded, or as multipart/form-data as soon as one
// value is a file. Owns the encoding only; testing.ts sends it.

import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import mime from "mime-types";

/** The bytes of a file: a Buffer, a string (UTF-8), or a stream read to its end before sending. */
export type FileData = Buffer | Uint8Array | string | Readable;

/**
 * A file to upload, in either of two shapes:
 * - an object `{ data, filename, content_type }` (`filename` defaults to the stream's path's
 *   base name, `content_type` to the type its name says, else application/octet-stream), or a FileStorage-like
 *   `{ stream, filename, content_type }`;
 * - Werkzeug's tuple `[data, filename?, content_type?]`, whose first item is a Buffer or stream.
 */
export type FileValue =
  | { data: FileData; filename?: string; content_type?: string }
  | { stream: FileData; filename?: string | null; content_type?: string | null }
  | readonly [Buffer | Uint8Array | Readable, string?, string?]
  | Readable;

/** A form field's value; an array sends the field once per item (Werkzeug's MultiDict lists). */
export type FormValue = string | number | boolean | FileValue;
/** A form for the test client's `data` and test_request_context: field name to value, file or list of them. */
export type FormData = Record<string, FormValue | readonly FormValue[] | null | undefined>;

interface FileSpec {
  data: FileData;
  filename: string;
  content_type: string;
}

function isBinary(value: unknown): value is Buffer | Uint8Array | Readable {
  return value instanceof Uint8Array || value instanceof Readable;
}

// Python's mimetypes: a compression suffix is an encoding, not the type (".tar.gz" is a tar),
// and a few short suffixes stand for two.
const ENCODINGS = new Set([".gz", ".z", ".bz2", ".xz", ".br"]);
const SUFFIXES: Record<string, string> = { ".tgz": ".tar.gz", ".taz": ".tar.gz", ".tz": ".tar.gz", ".tbz2": ".tar.bz2", ".txz": ".tar.xz" };

/** The media type Python's `mimetypes.guess_type` gives a file name, or undefined. */
function guessType(filename: string): string | undefined {
  let name = path.basename(filename);
  let ext = path.extname(name).toLowerCase();
  if (SUFFIXES[ext] !== undefined) {
    name = name.slice(0, -ext.length) + SUFFIXES[ext];
    ext = path.extname(name).toLowerCase();
  }
  if (ENCODINGS.has(ext)) {
    name = name.slice(0, -ext.length);
    ext = path.extname(name).toLowerCase();
  }
  return ext ? mime.lookup(ext) || undefined : undefined;
}

/** The file a form value describes, or undefined when it is a plain field. */
export function asFile(value: unknown): FileSpec | undefined {
  const nameOf = (data: unknown): string => {
    const p = (data as { path?: unknown }).path;
    return typeof p === "string" ? path.basename(p) : "";
  };
  // Werkzeug's add_file: a content type guessed from the file name, else application/octet-stream.
  const typeOf = (filename: string, given: string | null | undefined): string => given ?? (guessType(filename) ?? "application/octet-stream");
  if (value instanceof Readable) {
    const filename = nameOf(value);
    return { data: value, filename, content_type: typeOf(filename, undefined) };
  }
  if (Array.isArray(value) && isBinary(value[0])) {
    const filename = (value[1] as string | undefined) ?? nameOf(value[0]);
    return { data: value[0], filename, content_type: typeOf(filename, value[2] as string | undefined) };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as { data?: FileData; stream?: FileData; filename?: string | null; content_type?: string | null };
    const data = v.data ?? v.stream;
    if (data === undefined) return undefined;
    const filename = v.filename ?? nameOf(data);
    return { data, filename, content_type: typeOf(filename, v.content_type) };
  }
  return undefined;
}

/** The form's (name, value) pairs in order, arrays expanded, null and undefined skipped. */
function entries(form: FormData): [string, FormValue][] {
  const out: [string, FormValue][] = [];
  for (const [name, value] of Object.entries(form)) {
    if (value === null || value === undefined) continue;
    const items = Array.isArray(value) && asFile(value) === undefined ? (value as readonly FormValue[]) : [value as FormValue];
    for (const item of items) out.push([name, item]);
  }
  return out;
}

async function toBuffer(data: FileData): Promise<Buffer> {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof Uint8Array) return Buffer.from(data);
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const quoteParam = (text: string): string => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/**
 * Encodes a form: urlencoded when no value is a file, else multipart with a random boundary.
 *
 * @example
 * await encodeForm({ name: "x", upload: { data: Buffer.from("hi"), filename: "a.txt" } });
 */
export async function encodeForm(form: FormData): Promise<{ body: Buffer; content_type: string }> {
  const pairs = entries(form);
  if (!pairs.some(([, v]) => asFile(v) !== undefined)) {
    const params = new URLSearchParams(pairs.map(([k, v]) => [k, String(v)]));
    return { body: Buffer.from(params.toString()), content_type: "application/x-www-form-urlencoded" };
  }
  const boundary = `----flaskishFormBoundary${randomBytes(12).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of pairs) {
    const file = asFile(value);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(name)}"`;
    if (file !== undefined) head += `; filename="${quoteParam(file.filename)}"\r\nContent-Type: ${file.content_type}`;
    parts.push(Buffer.from(`${head}\r\n\r\n`), file !== undefined ? await toBuffer(file.data) : Buffer.from(String(value)), Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), content_type: `multipart/form-data; boundary=${boundary}` };
}

/** A query string from a string, URLSearchParams or object (arrays repeat the key). */
export function encodeQuery(query: string | URLSearchParams | Record<string, string | number | boolean | readonly (string | number | boolean)[]>): string {
  if (typeof query === "string") return query.replace(/^\?/, "");
  if (query instanceof URLSearchParams) return query.toString();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
  return params.toString();
}
