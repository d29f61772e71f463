// Upload containers: Python's SpooledTemporaryFile (bytes in memory until a size, then a
// temporary file) and a read-only view of a file someone else wrote (multer's disk storage).
// Synchronous on purpose: views call file.read() and file.save() synchronously, as in Flask.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** What a FileStorage reads from: a binary file opened for reading (Python's file object API). */
export interface BinaryFile {
  /** Up to `size` bytes from the current position (all that is left when omitted or negative). */
  read(size?: number): Buffer;
  /** Moves the position: whence 0 from the start, 1 from the current position, 2 from the end. */
  seek(offset: number, whence?: 0 | 1 | 2): number;
  tell(): number;
  close(): void;
  readonly closed: boolean;
}

/** Upload spooling threshold, Werkzeug's default_stream_factory: 500 KiB. */
export const SPOOL_MAX_SIZE = 1024 * 500;

/**
 * Bytes kept in memory until they pass `max_size`, then moved to a temporary file in `dir`
 * (Python's tempfile.SpooledTemporaryFile). On POSIX the file is unlinked as soon as it is
 * opened, so nothing is left on disk even if the process dies; closing releases the descriptor.
 *
 * @example
 * const f = new SpooledTemporaryFile();
 * f.write(chunk); f.seek(0); f.read(10);
 * f.close();
 */
export class SpooledTemporaryFile implements BinaryFile {
  readonly max_size: number;
  readonly dir: string;
  #memory: Buffer | null = Buffer.alloc(0);
  #fd: number | null = null;
  #path: string | null = null;
  #size = 0;
  #pos = 0;
  #closed = false;
  #rolled = false;

  constructor(max_size = SPOOL_MAX_SIZE, dir: string = os.tmpdir()) {
    this.max_size = max_size;
    this.dir = dir;
  }

  /**
   * Wraps bytes that are already in memory without copying them (never rolls over).
   *
   * @example
   * const storage = new FileStorage(SpooledTemporaryFile.fromBuffer(Buffer.from("a,b\n")), "data.csv");
   */
  static fromBuffer(data: Buffer): SpooledTemporaryFile {
    const file = new SpooledTemporaryFile(Infinity);
    file.#memory = data;
    file.#size = data.length;
    return file;
  }

  /** True once the data lives in a temporary file (Python's `_rolled`). */
  get rolled(): boolean {
    return this.#rolled;
  }

  /**
   * True after close(): reads, writes and seeks then throw.
   *
   * @example
   * f.close(); f.closed;   // true; reads and writes now throw
   */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Writes at the current position; passing `max_size` moves everything to disk.
   *
   * @example
   * f.write(Buffer.from("hello"));   // 5
   */
  write(data: Uint8Array): number {
    this.#checkOpen();
    if (this.#fd !== null) {
      const written = fs.writeSync(this.#fd, data, 0, data.length, this.#pos);
      this.#pos += written;
      this.#size = Math.max(this.#size, this.#pos);
      return written;
    }
    const end = this.#pos + data.length;
    let memory = this.#memory!;
    if (end > memory.length) {
      const grown = Buffer.allocUnsafe(Math.max(end, Math.min(memory.length * 2, end + SPOOL_MAX_SIZE)));
      memory.copy(grown, 0, 0, this.#size);
      memory = grown;
    }
    memory.set(data, this.#pos);
    this.#memory = memory;
    this.#pos = end;
    this.#size = Math.max(this.#size, end);
    if (this.#pos > this.max_size) this.rollover();
    return data.length;
  }

  /**
   * Moves the data to a temporary file now.
   *
   * @example
   * f.rollover(); f.rolled;   // true: the data is on disk now
   */
  rollover(): void {
    this.#checkOpen();
    if (this.#fd !== null) return;
    const file = path.join(this.dir, `flaskish-upload-${randomBytes(8).toString("hex")}`);
    const fd = fs.openSync(file, "wx+", 0o600);
    this.#fd = fd;
    this.#path = file;
    this.#rolled = true;
    // Unlinked at once where the OS allows an open file to lose its name: no leftovers, ever.
    if (process.platform !== "win32") {
      try {
        fs.unlinkSync(file);
        this.#path = null;
      } catch {
        // keep the name; close() removes it
      }
    }
    if (this.#size > 0) fs.writeSync(fd, this.#memory!, 0, this.#size, 0);
    this.#memory = null;
  }

  /**
   * Reads up to `size` bytes from the current position (everything left by default), as Python's read().
   *
   * @example
   * f.seek(0); f.read(5);   // the first 5 bytes; f.read() reads the rest
   */
  read(size = -1): Buffer {
    this.#checkOpen();
    const left = Math.max(0, this.#size - this.#pos);
    const n = size < 0 ? left : Math.min(size, left);
    if (n === 0) return Buffer.alloc(0);
    let out: Buffer;
    if (this.#fd !== null) {
      out = Buffer.allocUnsafe(n);
      const got = fs.readSync(this.#fd, out, 0, n, this.#pos);
      out = out.subarray(0, got);
    } else {
      out = Buffer.from(this.#memory!.subarray(this.#pos, this.#pos + n));
    }
    this.#pos += out.length;
    return out;
  }

  /**
   * Moves the position: `whence` 0 from the start, 1 from the current position, 2 from the end (Python's seek).
   *
   * @example
   * f.seek(0);      // back to the start
   * f.seek(-4, 2);  // 4 bytes before the end
   */
  seek(offset: number, whence: 0 | 1 | 2 = 0): number {
    this.#checkOpen();
    const base = whence === 0 ? 0 : whence === 1 ? this.#pos : this.#size;
    if (base + offset < 0) throw new RangeError(`Negative seek position ${base + offset}.`);
    this.#pos = base + offset;
    return this.#pos;
  }

  /**
   * The current position (Python's tell()).
   *
   * @example
   * f.write(Buffer.from("abc")); f.tell();   // 3
   */
  tell(): number {
    this.#checkOpen();
    return this.#pos;
  }

  /**
   * Frees the memory or closes (and removes) the temporary file. Safe to call twice.
   *
   * @example
   * f.close(); f.close();   // the second call does nothing
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#memory = null;
    if (this.#fd !== null) {
      fs.closeSync(this.#fd);
      this.#fd = null;
    }
    if (this.#path !== null) {
      fs.rmSync(this.#path, { force: true });
      this.#path = null;
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error("I/O operation on closed file: the upload was closed when its request ended.");
  }
}

/**
 * A file on disk that someone else owns (multer's disk storage), read through the BinaryFile
 * API. Closing releases the descriptor and leaves the file in place.
 */
export class DiskFile implements BinaryFile {
  readonly path: string;
  #fd: number | null = null;
  #pos = 0;
  #closed = false;

  constructor(file: string) {
    this.path = file;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #open(): number {
    if (this.#closed) throw new Error("I/O operation on closed file: the upload was closed when its request ended.");
    return (this.#fd ??= fs.openSync(this.path, "r"));
  }

  read(size = -1): Buffer {
    const fd = this.#open();
    const left = Math.max(0, fs.fstatSync(fd).size - this.#pos);
    const n = size < 0 ? left : Math.min(size, left);
    const out = Buffer.allocUnsafe(n);
    const got = n === 0 ? 0 : fs.readSync(fd, out, 0, n, this.#pos);
    this.#pos += got;
    return out.subarray(0, got);
  }

  seek(offset: number, whence: 0 | 1 | 2 = 0): number {
    const base = whence === 0 ? 0 : whence === 1 ? this.#pos : fs.fstatSync(this.#open()).size;
    this.#pos = Math.max(0, base + offset);
    return this.#pos;
  }

  tell(): number {
    return this.#pos;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd !== null) fs.closeSync(this.#fd);
    this.#fd = null;
  }
}
