// Files of an app's package and instance folder (Flask's open_resource and
// open_instance_resource): a small file object with Python's read/write/close, usable with
// `using`. Text modes read and write strings, binary modes Buffers.

import fs from "node:fs";
import path from "node:path";

/** A mode of Python's open(): read, write, append, exclusive create, optionally "+", "b" or "t". */
export type FileMode = "r" | "rt" | "rb" | "w" | "wt" | "wb" | "a" | "at" | "ab" | "x" | "xt" | "xb" | "r+" | "w+" | "a+" | "x+" | "r+b" | "w+b" | "a+b" | "x+b";

/**
 * An open resource file: `read()` gives its (remaining) content, `write()` adds to it.
 *
 * @example
 * { using f = app.open_resource("schema.sql", "r"); db.exec(f.read()); }
 */
export class ResourceFile<T extends string | Buffer = string | Buffer> {
  readonly name: string;
  readonly mode: FileMode;
  readonly #fd: number;
  readonly #encoding: BufferEncoding | null;
  #closed = false;

  constructor(file: string, mode: FileMode, encoding: BufferEncoding | null) {
    this.name = file;
    this.mode = mode;
    this.#encoding = mode.includes("b") ? null : encoding;
    // Python's "x" (create, fail if it exists) is Node's "wx".
    const flags = mode.replace(/[bt]/g, "").replace(/^x/, "wx");
    this.#fd = fs.openSync(file, flags);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The rest of the file: a string in text mode, a Buffer in binary mode. */
  read(): T {
    this.#check();
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(64 * 1024);
    for (let n = fs.readSync(this.#fd, chunk); n > 0; n = fs.readSync(this.#fd, chunk)) chunks.push(Buffer.from(chunk.subarray(0, n)));
    const data = Buffer.concat(chunks);
    return (this.#encoding === null ? data : data.toString(this.#encoding)) as T;
  }

  /** Writes `data` (a string is encoded in text mode's encoding); returns what was written. */
  write(data: T): number {
    this.#check();
    const bytes: Uint8Array = typeof data === "string" ? Buffer.from(data, this.#encoding ?? "utf8") : data;
    fs.writeSync(this.#fd, bytes);
    return typeof data === "string" ? data.length : bytes.length;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fs.closeSync(this.#fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #check(): void {
    if (this.#closed) throw new Error(`I/O operation on closed file ${this.name}.`);
  }
}

const READ_MODES = new Set(["r", "rt", "rb"]);

/** Flask's open_resource for a root folder: reading modes only. */
export function openResource(root: string, resource: string, mode: "r" | "rt" | "rb", encoding: BufferEncoding | null): ResourceFile {
  if (!READ_MODES.has(mode)) throw new Error(`Resources can only be opened for reading (mode "r", "rt" or "rb", not ${JSON.stringify(mode)}); use open_instance_resource to write files.`);
  return new ResourceFile(path.join(root, resource), mode, encoding);
}
