// FileStorage: one uploaded file (Werkzeug's FileStorage) with its part headers, readable and
// savable synchronously. Owns nothing of parsing; form-parser.ts creates these.

import fs from "node:fs";
import { Headers } from "./headers.js";
import { parse_options_header } from "./http-parse.js";
import type { BinaryFile } from "./spooled-file.js";

/** Where `save()` may write: a path, a file descriptor, or anything with `write(chunk)` (a Node Writable). */
export type SaveTarget = string | number | { write(chunk: Buffer): unknown };

/**
 * An uploaded file, as found in `request.files` (Werkzeug's FileStorage). Small files live in
 * memory, larger ones in a temporary file; both are released when the request ends.
 *
 * @example
 * const f = request.files["the_file"];
 * f.save(`/var/www/uploads/${secure_filename(f.filename)}`);
 */
export class FileStorage {
  /** The file's bytes (Python's file API: read, seek, tell). */
  readonly stream: BinaryFile;
  /**
   * The filename the client sent, untrusted: pass it through secure_filename() before use. A
   * file input left empty arrives as "" (Werkzeug's None for hand-made FileStorages is "" here).
   */
  filename: string;
  /** The form field name. */
  name: string;
  /** The part's headers (Content-Type, Content-Disposition, ...). */
  readonly headers: Headers;

  constructor(stream: BinaryFile, filename = "", name = "", headers: Headers = new Headers(), content_type?: string) {
    this.stream = stream;
    this.filename = filename;
    this.name = name;
    this.headers = headers;
    if (content_type !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", content_type);
  }

  /** The Content-Type the client sent for this file, or null. */
  get content_type(): string | null {
    return this.headers.get("Content-Type") ?? null;
  }

  /** The part's Content-Length header, 0 when absent (browsers do not send it). */
  get content_length(): number {
    const value = (this.headers.get("Content-Length") ?? "").trim();
    return /^\d+$/.test(value) ? Number(value) : 0;
  }

  /** The content type without parameters, lowercased ("text/plain"). */
  get mimetype(): string {
    return parse_options_header(this.content_type)[0].toLowerCase();
  }

  /** The content type's parameters ({ charset: "utf-8" }). */
  get mimetype_params(): Record<string, string> {
    return parse_options_header(this.content_type)[1];
  }

  /**
   * Reads from the current position (everything left when `size` is omitted).
   *
   * @example
   * const head = request.files["photo"].read(8);   // the first 8 bytes (a magic number check)
   * request.files["photo"].stream.seek(0);        // rewind before save()
   */
  read(size?: number): Buffer {
    return this.stream.read(size);
  }

  /**
   * Copies the file, from its current position, to a path (created or truncated), a file
   * descriptor, or a writable (which is not ended). Synchronous, like Werkzeug's save.
   *
   * @example
   * file.save(path.join(UPLOAD_FOLDER, secure_filename(file.filename)));
   * file.save(fs.createWriteStream("/tmp/copy.bin"));
   */
  save(dst: SaveTarget, buffer_size = 16384): void {
    const fd = typeof dst === "string" ? fs.openSync(dst, "w") : null;
    try {
      for (;;) {
        const chunk = this.stream.read(buffer_size);
        if (chunk.length === 0) break;
        if (fd !== null) writeAll(fd, chunk);
        else if (typeof dst === "number") writeAll(dst, chunk);
        else (dst as { write(chunk: Buffer): unknown }).write(chunk);
      }
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  }

  /**
   * Releases the memory or temporary file; the app does this when the request ends.
   *
   * @example
   * request.files["photo"].close();   // free the upload early, e.g. after rejecting it
   */
  close(): void {
    this.stream.close();
  }

  toString(): string {
    return `<FileStorage: ${JSON.stringify(this.filename)} (${JSON.stringify(this.content_type)})>`;
  }
}

function writeAll(fd: number, chunk: Buffer): void {
  for (let offset = 0; offset < chunk.length; ) offset += fs.writeSync(fd, chunk, offset);
}
