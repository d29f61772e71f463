// Form bodies with Werkzeug's semantics: urlencoded pairs (decoded by urls.ts, as request.args
// are) and multipart/form-data through busboy, streamed: fields decoded as UTF-8, files written
// into a SpooledTemporaryFile as they arrive, Flask's part limits turned into 413s. No IO of its
// own: request-body.ts feeds it chunks, from a socket or from a buffer.

import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { FileStorage } from "./file-storage.js";
import { Headers } from "./headers.js";
import { RequestEntityTooLarge } from "./http-exceptions.js";
import { SpooledTemporaryFile } from "./spooled-file.js";
import { parseQueryString } from "./urls.js";

/** Browsers send a `"` in a part's name or filename as `%22`; Werkzeug reads it back. */
const quoted = (value: string): string => value.replaceAll("%22", '"');

/** A body Werkzeug's parser rejects as malformed (its ValueError): the form is then empty. */
export class MalformedForm extends Error {
  override name = "MalformedForm";
}

/**
 * An urlencoded body as Werkzeug reads it: the bytes must be UTF-8 (a declared charset is
 * ignored), else MalformedForm; then the same pair rules as `request.args`.
 *
 * @example
 * parseUrlencoded(Buffer.from("a=1&a=2&x+y=%ff")); // [["a","1"], ["a","2"], ["x y","%FF"]]
 */
export function parseUrlencoded(body: Uint8Array): [string, string][] {
  if (!isUtf8(body)) throw new MalformedForm("The urlencoded body is not valid UTF-8.");
  // parseQueryString takes bytes as latin-1 code units, the way Node hands over a query string.
  return parseQueryString(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1"));
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

/** Buffered bodies are fed in slices this size, so file data never piles up in busboy's streams. */
const SLICE = 64 * 1024;

/**
 * Collects a multipart body into form fields and FileStorage objects with Flask's limits: a
 * non-file field larger than max_form_memory_size, or more parts than max_form_parts, is a
 * RequestEntityTooLarge; a body busboy cannot parse is a MalformedForm. Feed it with write(),
 * then call finish() (synchronous) or finished() (waits for busboy to settle). After an error,
 * call discard() to release the files made so far.
 *
 * @example
 * const form = new MultipartForm(request.content_type, { max_form_memory_size: 500_000, max_form_parts: 1000 });
 * form.write(body);
 * form.finish();
 * form.fields; // [["name", "ann"]]
 */
export class MultipartForm {
  readonly fields: [string, string][] = [];
  readonly files: [string, FileStorage][] = [];
  readonly #parser: busboy.Busboy;
  readonly #factory: StreamFactory;
  readonly #contentLength: number | null;
  // File parts whose stream may still hold data: busboy pushes, we pull synchronously.
  #open: { stream: Readable; container: SpooledTemporaryFile }[] = [];
  #failure: Error | null = null;

  /** Throws MalformedForm when the Content-Type has no usable boundary. */
  constructor(content_type: string, limits: FormLimits, factory: StreamFactory = default_stream_factory, content_length: number | null = null) {
    this.#factory = factory;
    this.#contentLength = content_length;
    const memory = limits.max_form_memory_size;
    const parts = limits.max_form_parts;
    try {
      this.#parser = busboy({
        headers: { "content-type": content_type },
        // Werkzeug reads part headers as UTF-8, keeps filenames as sent (secure_filename is the
        // app's job) and decodes fields without a declared charset as UTF-8.
        defParamCharset: "utf8",
        defCharset: "utf8",
        preservePath: true,
        // busboy flags a field that *reaches* fieldSize and signals partsLimit once `parts`
        // parts are *complete*; Flask refuses only what goes past its limits, hence the + 1.
        limits: { fieldSize: memory === null ? Infinity : memory + 1, parts: parts === null ? Infinity : parts + 1 },
      });
    } catch (error) {
      throw new MalformedForm("The multipart body has no usable boundary parameter.", { cause: error });
    }
    const parser = this.#parser;
    parser.on("field", (name, value: string | undefined, info) => {
      if (info.valueTruncated) this.#fail(new RequestEntityTooLarge());
      // busboy 1.6 gives no value for a declared charset outside its own list (its generic
      // TextDecoder fallback is broken); the bytes are gone by then, so the field is "".
      else this.fields.push([quoted(name ?? ""), value ?? ""]);
    });
    parser.on("file", (name, stream, info) => this.#startFile(quoted(name ?? ""), stream, info));
    parser.on("partsLimit", () => this.#fail(new RequestEntityTooLarge()));
    parser.on("error", (error: Error) => this.#fail(new MalformedForm(`The multipart body is malformed: ${error.message}`, { cause: error })));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
  }

  #startFile(name: string, stream: Readable, info: busboy.FileInfo): void {
    // A destroyed parser destroys the open file stream with its error; it is reported on the parser.
    stream.on("error", () => {});
    // busboy reports no filename for `filename=""` (an empty file input): Werkzeug's "".
    const filename = quoted(info.filename ?? "");
    const container = this.#factory({ total_content_length: this.#contentLength, content_type: info.mimeType, filename, content_length: 0 });
    this.files.push([name, new FileStorage(container, filename, name, new Headers([["Content-Type", info.mimeType]]))]);
    this.#open.push({ stream, container });
  }

  /** Moves what busboy parsed into the containers; only the latest file part can still grow. */
  #drain(): void {
    for (const { stream, container } of this.#open) {
      for (let chunk: Buffer | null; (chunk = stream.read() as Buffer | null) !== null; ) container.write(chunk);
    }
    if (this.#open.length > 1) this.#open = this.#open.slice(-1);
  }

  #check(): void {
    if (this.#failure !== null) throw this.#failure;
  }

  /** Parses the next chunk of the body; throws at the first limit passed or malformed input. */
  write(chunk: Buffer): void {
    this.#check();
    for (let at = 0; at < chunk.length; at += SLICE) {
      this.#parser.write(chunk.length <= SLICE ? chunk : chunk.subarray(at, at + SLICE));
      this.#drain();
      this.#check();
    }
  }

  /** Ends the body and throws if it was incomplete (busboy decides that synchronously). */
  finish(): void {
    this.#check();
    this.#parser.end();
    this.#drain();
    if (this.#parser.errored) this.#fail(new MalformedForm(`The multipart body is malformed: ${this.#parser.errored.message}`, { cause: this.#parser.errored }));
    this.#check();
    for (const [, file] of this.files) file.stream.seek(0);
  }

  /** finish(), then waits until busboy has closed, so late errors are not missed either. */
  async finished(): Promise<void> {
    this.finish();
    if (!this.#parser.closed) await new Promise((resolve) => this.#parser.once("close", resolve));
    this.#check();
  }

  /** Stops parsing and closes every file created so far, finished or not. */
  discard(): void {
    this.#parser.destroy();
    this.#open = [];
    for (const [, file] of this.files) file.close();
  }
}
