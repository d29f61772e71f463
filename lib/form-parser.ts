// Form bodies with Werkzeug's semantics: urlencoded pairs (Python's parse_qsl with invalid
// UTF-8 escapes re-quoted) and a streaming multipart/form-data parser (line breaks CRLF, LF or
// CR; preamble and epilogue; part headers; part charsets). Push-based and synchronous, so the
// same code parses a Node stream chunk by chunk or a buffered body at once. No IO of its own.

import { FileStorage } from "./file-storage.js";
import { Headers } from "./headers.js";
import { RequestEntityTooLarge } from "./http-exceptions.js";
import { parse_options_header } from "./http-parse.js";
import { SpooledTemporaryFile } from "./spooled-file.js";

/** A body Werkzeug's parser rejects as malformed (its ValueError): the form is then empty. */
export class MalformedForm extends Error {
  override name = "MalformedForm";
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const HEX = "0123456789ABCDEF";

/** Length of the valid UTF-8 sequence at `i`, or minus the length of its maximal invalid subpart. */
function utf8Sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < lo || c > hi) return -k;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

/** UTF-8 bytes to text, each invalid byte run written back as %XX (Werkzeug's "werkzeug.url_quote" errors). */
function decodeRequoting(bytes: Uint8Array): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8Sequence(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += lenientUtf8.decode(bytes.subarray(start, i));
    for (let k = 0; k < -n; k++) out += `%${HEX[bytes[i + k]! >> 4]}${HEX[bytes[i + k]! & 15]}`;
    i += -n;
    start = i;
  }
  return out + lenientUtf8.decode(bytes.subarray(start));
}

/** Python's unquote(text, errors="werkzeug.url_quote"): %XX runs become bytes, bad `%` stay literal. */
function unquote(text: string): string {
  if (!text.includes("%")) return text;
  return text.replace(/[\x00-\x7f]+/g, (ascii) => {
    if (!ascii.includes("%")) return ascii;
    const bytes: number[] = [];
    for (let i = 0; i < ascii.length; i++) {
      const code = ascii.charCodeAt(i);
      if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(ascii.slice(i + 1, i + 3))) {
        bytes.push(parseInt(ascii.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(code);
    }
    return decodeRequoting(Uint8Array.from(bytes));
  });
}

/**
 * Parses `a=1&b=2` text into pairs like Python's parse_qsl(keep_blank_values=True) as Werkzeug
 * calls it: `+` is a space, a name without `=` has the value "", empty pieces are skipped,
 * `a[b]` stays a flat key, and escapes that are not UTF-8 come back as `%XX`.
 *
 * @example
 * parse_qsl("a=1&a=2&x+y=%ff"); // [["a","1"], ["a","2"], ["x y","%FF"]]
 */
export function parse_qsl(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const piece of text.split("&")) {
    if (!piece) continue;
    const eq = piece.indexOf("=");
    const name = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? "" : piece.slice(eq + 1);
    pairs.push([unquote(name.replaceAll("+", " ")), unquote(value.replaceAll("+", " "))]);
  }
  return pairs;
}

/** An urlencoded body: strict UTF-8 (Werkzeug ignores any declared charset), else MalformedForm. */
export function parseUrlencoded(body: Uint8Array): [string, string][] {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch (error) {
    throw new MalformedForm("The urlencoded body is not valid UTF-8.", { cause: error });
  }
  return parse_qsl(text);
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data

/** Receives the parts of a multipart body as they are decoded. */
export interface MultipartHandlers {
  partStart(headers: Headers, name: string, filename: string | undefined): void;
  partData(chunk: Buffer): void;
  partEnd(): void;
}

const enum State { Preamble, Headers, Data, Epilogue }
const CR = 0x0d;
const LF = 0x0a;
const EMPTY = Buffer.alloc(0);
/** Part headers larger than this are refused rather than buffered without end. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * A push parser for multipart/form-data: feed it chunks with write() and call finish() at the
 * end of the body. Throws MalformedForm where Werkzeug's decoder raises ValueError.
 */
export class MultipartParser {
  readonly #delimiter: Buffer;
  readonly #handlers: MultipartHandlers;
  #buf: Buffer = EMPTY;
  #state = State.Preamble;
  // A line break was consumed right before #buf (end of the part headers): a delimiter may start at 0.
  #afterLineBreak = false;

  constructor(boundary: string, handlers: MultipartHandlers) {
    this.#delimiter = Buffer.from(`--${boundary}`, "latin1");
    this.#handlers = handlers;
  }

  write(chunk: Buffer): void {
    if (this.#state === State.Epilogue) return;
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    this.#run(false);
  }

  finish(): void {
    this.#run(true);
    if (this.#state !== State.Epilogue) throw new MalformedForm("The multipart body ended before its closing boundary.");
  }

  #run(final: boolean): void {
    for (;;) {
      if (this.#state === State.Preamble && !this.#preamble(final)) return;
      if (this.#state === State.Headers && !this.#headers(final)) return;
      if (this.#state === State.Data && !this.#data(final)) return;
      if (this.#state === State.Epilogue) {
        this.#buf = EMPTY;
        return;
      }
    }
  }

  /** What follows `--boundary` at `j`: the end of the delimiter line, "more" data needed, or "no". */
  #tail(j: number, final: boolean): { close: boolean; end: number } | "more" | "no" {
    const buf = this.#buf;
    if (j >= buf.length) return final ? "no" : "more";
    if (buf[j] === 0x2d) {
      if (j + 1 >= buf.length) return final ? "no" : "more";
      if (buf[j + 1] === 0x2d) return { close: true, end: buf.length };
    }
    let k = j;
    while (k < buf.length && (buf[k] === 0x20 || buf[k] === 0x09)) k++;
    if (k >= buf.length) return final ? "no" : "more";
    if (buf[k] === LF) return { close: false, end: k + 1 };
    if (buf[k] !== CR) return "no";
    if (k + 1 >= buf.length) return final ? { close: false, end: k + 1 } : "more";
    return { close: false, end: buf[k + 1] === LF ? k + 2 : k + 1 };
  }

  #preamble(final: boolean): boolean {
    for (let i = this.#buf.indexOf(this.#delimiter); i !== -1; i = this.#buf.indexOf(this.#delimiter, i + 1)) {
      const tail = this.#tail(i + this.#delimiter.length, final);
      if (tail === "no") continue;
      if (tail === "more") {
        this.#buf = this.#buf.subarray(i);
        return false;
      }
      this.#buf = this.#buf.subarray(tail.end);
      this.#state = tail.close ? State.Epilogue : State.Headers;
      return true;
    }
    this.#buf = this.#buf.subarray(Math.max(0, this.#buf.length - this.#delimiter.length));
    return false;
  }

  #headers(final: boolean): boolean {
    const buf = this.#buf;
    let at = -1;
    let len = 0;
    for (const blank of BLANK_LINES) {
      const i = buf.indexOf(blank);
      if (i !== -1 && (at === -1 || i < at)) {
        at = i;
        len = blank.length;
      }
    }
    if (at === -1) {
      if (final) throw new MalformedForm("A multipart part ended inside its headers.");
      if (buf.length > MAX_HEADER_BYTES) throw new MalformedForm("A multipart part's headers are too large.");
      return false;
    }
    const headers = parsePartHeaders(buf.subarray(0, at));
    const disposition = headers.get("Content-Disposition");
    if (disposition === undefined) throw new MalformedForm("A multipart part has no Content-Disposition header.");
    const [, params] = parse_options_header(disposition);
    this.#buf = buf.subarray(at + len);
    this.#state = State.Data;
    this.#afterLineBreak = true;
    this.#handlers.partStart(headers, params.name ?? "", params.filename);
    return true;
  }

  #data(final: boolean): boolean {
    const buf = this.#buf;
    const d = this.#delimiter;
    for (let i = buf.indexOf(d); i !== -1; i = buf.indexOf(d, i + 1)) {
      let lineStart: number;
      if (i === 0) {
        if (!this.#afterLineBreak) continue;
        lineStart = 0;
      } else if (buf[i - 1] === LF) lineStart = i >= 2 && buf[i - 2] === CR ? i - 2 : i - 1;
      else if (buf[i - 1] === CR) lineStart = i - 1;
      else continue;
      const tail = this.#tail(i + d.length, final);
      if (tail === "no") continue;
      if (lineStart > 0) this.#emit(buf.subarray(0, lineStart));
      if (tail === "more") {
        this.#buf = buf.subarray(lineStart);
        return false;
      }
      this.#handlers.partEnd();
      this.#buf = buf.subarray(tail.end);
      this.#state = tail.close ? State.Epilogue : State.Headers;
      return true;
    }
    if (final) throw new MalformedForm("The multipart body ended inside a part.");
    // Keep what could be the start of a delimiter split across chunks.
    const keep = Math.min(buf.length, d.length + 2);
    if (buf.length > keep) this.#emit(buf.subarray(0, buf.length - keep));
    this.#buf = buf.subarray(buf.length - keep);
    return false;
  }

  #emit(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#afterLineBreak = false;
    this.#handlers.partData(chunk);
  }
}

const BLANK_LINES = [Buffer.from("\r\n\r\n"), Buffer.from("\r\r"), Buffer.from("\n\n")];

function parsePartHeaders(block: Buffer): Headers {
  const headers = new Headers();
  const text = block.toString("latin1").replace(/(?:\r\n|\n|\r)[ \t]/g, " ");
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, "");
    if (!line) continue;
    let decoded: string;
    try {
      decoded = strictUtf8.decode(Buffer.from(line, "latin1"));
    } catch (error) {
      throw new MalformedForm("A multipart part header is not valid UTF-8.", { cause: error });
    }
    const colon = decoded.indexOf(":");
    headers.add((colon === -1 ? decoded : decoded.slice(0, colon)).trim(), colon === -1 ? "" : decoded.slice(colon + 1).trim());
  }
  return headers;
}

/** Limits of a form parse (Flask's MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS); null for none. */
export interface FormLimits {
  max_form_memory_size: number | null;
  max_form_parts: number | null;
}

/** Makes the container an uploaded file is written into (Werkzeug's stream_factory). */
export type StreamFactory = (info: { total_content_length: number | null; content_type: string | null; filename: string; content_length: number | null }) => SpooledTemporaryFile;

/** The default stream factory: 500 KiB in memory, then a temporary file in the OS temp dir. */
export const default_stream_factory: StreamFactory = () => new SpooledTemporaryFile();

const SAFE_PART_CHARSETS = new Set(["ascii", "us-ascii", "utf-8", "iso-8859-1"]);

function decodeField(bytes: Buffer, headers: Headers): string {
  const charset = (parse_options_header(headers.get("Content-Type"))[1].charset ?? "").toLowerCase();
  if (!SAFE_PART_CHARSETS.has(charset) || charset === "utf-8") return lenientUtf8.decode(bytes);
  if (charset === "iso-8859-1") return bytes.toString("latin1");
  return [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : "\ufffd")).join("");
}

/**
 * Collects a multipart body into form fields and FileStorage objects with Flask's limits: a
 * non-file field larger than max_form_memory_size, or more parts than max_form_parts, is a
 * RequestEntityTooLarge. After an error, call discard() to release the files made so far.
 */
export class MultipartForm implements MultipartHandlers {
  readonly fields: [string, string][] = [];
  readonly files: [string, FileStorage][] = [];
  readonly #parser: MultipartParser;
  readonly #limits: FormLimits;
  readonly #factory: StreamFactory;
  readonly #contentLength: number | null;
  #parts = 0;
  #field: { name: string; headers: Headers; chunks: Buffer[]; size: number } | null = null;
  #file: { name: string; filename: string; headers: Headers; container: SpooledTemporaryFile } | null = null;

  constructor(boundary: string, limits: FormLimits, factory: StreamFactory = default_stream_factory, content_length: number | null = null) {
    this.#parser = new MultipartParser(boundary, this);
    this.#limits = limits;
    this.#factory = factory;
    this.#contentLength = content_length;
  }

  write(chunk: Buffer): void {
    this.#parser.write(chunk);
  }

  finish(): void {
    this.#parser.finish();
  }

  partStart(headers: Headers, name: string, filename: string | undefined): void {
    this.#parts += 1;
    const maxParts = this.#limits.max_form_parts;
    if (maxParts !== null && this.#parts > maxParts) throw new RequestEntityTooLarge();
    if (filename === undefined) {
      this.#field = { name, headers, chunks: [], size: 0 };
      return;
    }
    const length = Number((headers.get("Content-Length") ?? "").trim());
    const container = this.#factory({
      total_content_length: this.#contentLength,
      content_type: headers.get("Content-Type") ?? null,
      filename,
      content_length: Number.isInteger(length) ? length : 0,
    });
    this.#file = { name, filename, headers, container };
  }

  partData(chunk: Buffer): void {
    const field = this.#field;
    if (field !== null) {
      field.size += chunk.length;
      const max = this.#limits.max_form_memory_size;
      if (max !== null && field.size > max) throw new RequestEntityTooLarge();
      // Chunks may be views of a buffer the parser reuses: copy what is kept.
      field.chunks.push(Buffer.from(chunk));
    } else {
      this.#file!.container.write(chunk);
    }
  }

  partEnd(): void {
    if (this.#field !== null) {
      const { name, headers, chunks } = this.#field;
      this.fields.push([name, decodeField(Buffer.concat(chunks), headers)]);
      this.#field = null;
      return;
    }
    const { name, filename, headers, container } = this.#file!;
    container.seek(0);
    this.files.push([name, new FileStorage(container, filename, name, headers)]);
    this.#file = null;
  }

  /** Closes every file created so far, finished or not. */
  discard(): void {
    for (const [, file] of this.files) file.close();
    this.#file?.container.close();
    this.#file = null;
  }
}
