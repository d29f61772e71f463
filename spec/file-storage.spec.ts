// FileStorage and the upload containers behind it: memory below Werkzeug's 500 KiB spool
// threshold, a temporary file above it, synchronous save() to a path, a descriptor or a stream,
// and release of every container when the request ends: after success, abort(), an error, and
// a client that disconnects mid-upload (a real socket).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { expect } from "chai";
import supertest from "supertest";
import { Flask, abort, flaskish, request } from "../lib/index.js";
import { FileStorage } from "../lib/file-storage.js";
import { Headers } from "../lib/headers.js";
import { Request } from "../lib/request.js";
import { SPOOL_MAX_SIZE, SpooledTemporaryFile } from "../lib/spooled-file.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { RawConnection } from "./support/raw-connection.js";
import { listen } from "./support/raw-http.js";

const tmpDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-fs-spec-"));
  tmpDirs.push(dir);
  return dir;
}
after(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

describe("SpooledTemporaryFile", () => {
  it("keeps up to 500 KiB in memory (Werkzeug's threshold) and moves to a temporary file past it", () => {
    expect(SPOOL_MAX_SIZE).to.equal(512_000);
    const f = new SpooledTemporaryFile(undefined, tempDir());
    f.write(Buffer.alloc(SPOOL_MAX_SIZE, 1));
    expect(f.rolled).to.equal(false);
    f.write(Buffer.from([2]));
    expect(f.rolled).to.equal(true);
    f.seek(SPOOL_MAX_SIZE - 1);
    expect([...f.read()]).to.deep.equal([1, 2]);
    f.close();
  });

  it("leaves no file in its directory, before or after close", () => {
    const dir = tempDir();
    const f = new SpooledTemporaryFile(4, dir);
    f.write(Buffer.from("0123456789"));
    expect(f.rolled).to.equal(true);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    f.close();
    expect(f.closed).to.equal(true);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    expect(() => f.read()).to.throw(/closed/);
  });

  it("reads, seeks and tells like a Python file", () => {
    for (const max of [1000, 2]) {
      const f = new SpooledTemporaryFile(max, tempDir());
      f.write(Buffer.from("hello world"));
      expect(f.tell()).to.equal(11);
      f.seek(0);
      expect(f.read(5).toString()).to.equal("hello");
      f.seek(-5, 2);
      expect(f.read().toString()).to.equal("world");
      f.seek(-11, 1);
      expect(f.read(-1).toString()).to.equal("hello world");
      expect(f.read(3).length).to.equal(0);
      f.close();
    }
  });
});

describe("FileStorage", () => {
  function storage(text: string, max = 1000): FileStorage {
    const f = new SpooledTemporaryFile(max, tempDir());
    f.write(Buffer.from(text));
    f.seek(0);
    return new FileStorage(f, "a.txt", "doc", new Headers([["Content-Type", "text/plain; charset=utf-8"], ["Content-Length", "7"]]));
  }

  it("exposes the part's filename, name, content type, mimetype and length", () => {
    const f = storage("content");
    expect([f.filename, f.name, f.content_type, f.mimetype, f.mimetype_params, f.content_length]).to.deep.equal(["a.txt", "doc", "text/plain; charset=utf-8", "text/plain", { charset: "utf-8" }, 7]);
    expect(String(f)).to.equal('<FileStorage: "a.txt" ("text/plain; charset=utf-8")>');
  });

  describe("save", () => {
    for (const max of [1000, 3]) {
      const where = max === 3 ? "a spooled" : "an in-memory";
      it(`writes ${where} upload to a path synchronously`, () => {
        const dst = path.join(tempDir(), "out.txt");
        storage("content", max).save(dst);
        expect(fs.readFileSync(dst, "utf8")).to.equal("content");
      });

      it(`writes ${where} upload to a writable stream without ending it`, () => {
        const sink = new PassThrough();
        const chunks: Buffer[] = [];
        sink.on("data", (c: Buffer) => chunks.push(c));
        storage("content", max).save(sink, 2);
        sink.end();
        return new Promise<void>((resolve) => sink.on("end", () => {
          expect(Buffer.concat(chunks).toString()).to.equal("content");
          resolve();
        }));
      });
    }

    it("writes to a file descriptor, from the current position (as Werkzeug's copyfileobj does)", () => {
      const dst = path.join(tempDir(), "fd.txt");
      const fd = fs.openSync(dst, "w");
      const f = storage("content");
      f.read(3);
      f.save(fd);
      fs.closeSync(fd);
      expect(fs.readFileSync(dst, "utf8")).to.equal("tent");
    });
  });
});

/** An app whose uploads spool into `dir` past 1 KiB, remembering every container it made. */
function uploadApp(dir: string, created: SpooledTemporaryFile[]): Flask {
  class SpoolHere extends Request {
    override _get_file_stream(): SpooledTemporaryFile {
      const f = new SpooledTemporaryFile(1024, dir);
      created.push(f);
      return f;
    }
  }
  const app = new Flask(import.meta.url, { static_folder: null });
  app.request_class = SpoolHere;
  app.config.PROPAGATE_EXCEPTIONS = false;
  app.route("/upload/<mode>", { methods: ["POST"] }, function upload({ mode }: { mode: string }) {
    const file = request.files["the_file"];
    if (mode === "abort") abort(403);
    if (mode === "error") throw new Error("view failed");
    file.save(path.join(dir, "saved.bin"));
    return `${file.filename} ${(file.stream as SpooledTemporaryFile).rolled}`;
  });
  return app;
}

const BIG = Buffer.alloc(5000, 0x61);

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`upload cleanup under ${flavour.label}`, () => {
    for (const [mode, status] of [["ok", 200], ["abort", 403], ["error", 500]] as const) {
      it(`releases every upload when the request ends (${mode} -> ${status})`, async () => {
        const dir = tempDir();
        const created: SpooledTemporaryFile[] = [];
        const server = flavour.create().use(flaskish(uploadApp(dir, created), { propagate_errors: false }));
        const res = await supertest(server).post(`/upload/${mode}`).attach("the_file", BIG, "big.bin").attach("small", Buffer.from("s"), "s.txt");
        expect(res.status).to.equal(status);
        if (mode === "ok") expect(res.text).to.equal("big.bin true");
        expect(created.map((f) => [f.rolled, f.closed])).to.deep.equal([[true, true], [false, true]]);
        expect(fs.readdirSync(dir).filter((n) => n !== "saved.bin")).to.deep.equal([]);
      });
    }

    it("releases a half-received upload when the client disconnects mid-upload", async () => {
      const dir = tempDir();
      const created: SpooledTemporaryFile[] = [];
      const app = uploadApp(dir, created);
      const { port, close } = await listen(flavour.create().use(flaskish(app)) as unknown as Parameters<typeof listen>[0]);
      try {
        const conn = await RawConnection.open(port);
        const head = '--XyZ\r\nContent-Disposition: form-data; name="the_file"; filename="big.bin"\r\n\r\n';
        await conn.send(`POST /upload/ok HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n${head}`);
        await conn.send(BIG);
        while (!created[0]?.rolled) await new Promise((r) => setImmediate(r));
        conn.destroy();
        while (!created[0]!.closed) await new Promise((r) => setImmediate(r));
        expect(fs.readdirSync(dir)).to.deep.equal([]);
        const next = await supertest(`http://127.0.0.1:${port}`).post("/upload/ok").attach("the_file", Buffer.from("x"), "x.txt");
        expect(next.text).to.equal("x.txt false");
      } finally {
        await close();
      }
    });
  });
}
