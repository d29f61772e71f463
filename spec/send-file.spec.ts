// send_file and send_from_directory against real Flask 3.1 / Werkzeug 3.1: the expected statuses
// and headers in spec/fixtures/flask-send-file.json came from Flask's test client
// (spec/fixtures/gen/flask_send_file.py); this spec builds the same files (same bytes and mtime)
// and the same routes, mounted in Express 5 and Express 4, and expects the same answers.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import request from "supertest";
import { Flask, flaskish, request as flaskRequest } from "../lib/index.js";
import { adler32, contentDisposition, fileEtag, guessType, send_file } from "../lib/send-file.js";
import { send_from_directory } from "../lib/static-files.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { listen, rawRequest } from "./support/raw-http.js";

interface Case {
  label: string;
  method: string;
  path: string;
  request_headers: Record<string, string>;
  status: number;
  headers: Record<string, string>;
  body: string | null;
}
const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-send-file.json", import.meta.url), "utf8")) as {
  mtime: number;
  files: Record<string, string>;
  cases: Case[];
  adler32: Record<string, number>;
};
const KEEP = ["content-type", "content-length", "content-disposition", "content-encoding", "cache-control", "etag", "last-modified", "accept-ranges", "content-range", "expires"];

function makeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-send-file-"));
  for (const folder of ["static", "files"]) {
    for (const [name, text] of Object.entries(fixture.files)) {
      const target = path.join(root, folder, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      fs.utimesSync(target, fixture.mtime, fixture.mtime);
    }
  }
  return root;
}

/** The TypeScript twin of the generator's app: the same routes and query flags. */
function buildApp(root: string): Flask {
  const app = new Flask(import.meta.url, { root_path: root });
  const flag = (name: string) => flaskRequest.args.get(name) === "1";
  app.route("/file/<path:name>", function file({ name }) {
    const args = flaskRequest.args;
    return send_file(path.join(root, "files", name), {
      ...(flag("as_attachment") ? { as_attachment: true } : {}),
      ...(args.get("download_name") !== undefined ? { download_name: args.get("download_name")! } : {}),
      ...(args.get("mimetype") !== undefined ? { mimetype: args.get("mimetype")! } : {}),
      ...(args.get("max_age") !== undefined ? { max_age: Number(args.get("max_age")) } : {}),
      ...(flag("no_etag") ? { etag: false } : {}),
      ...(args.get("etag") !== undefined ? { etag: args.get("etag")! } : {}),
      ...(flag("no_conditional") ? { conditional: false } : {}),
    });
  });
  app.route("/bytes", function bytes_() {
    return send_file(Buffer.from("0123456789"), {
      download_name: flaskRequest.args.get("download_name") ?? "data.bin",
      ...(flag("as_attachment") ? { as_attachment: true } : {}),
    });
  });
  app.route("/dir/<path:name>", function directory({ name }) {
    return send_from_directory(path.join(root, "files"), name);
  });
  return app;
}

describe("adler32", () => {
  for (const [text, expected] of Object.entries(fixture.adler32)) {
    it(`matches Python's zlib.adler32 for ${JSON.stringify(text.slice(0, 30))}`, () => {
      expect(adler32(text)).to.equal(expected);
    });
  }
});

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`send_file answers as real Flask/Werkzeug does (${flavour.label})`, () => {
    const root = makeRoot();
    const app = buildApp(root);
    const express = flavour.create().use(flaskish(app, { fallthrough: false, propagate_errors: false }));
    let port = 0;
    let close = async () => {};
    let etag = "";
    before(async () => {
      ({ port, close } = await listen(express));
      etag = (await rawRequest(port, "GET", "/file/hello.txt")).headers.etag as string;
    });
    after(async () => {
      await close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    for (const c of fixture.cases) {
      it(`${c.label}: ${c.method} ${c.path} -> ${c.status} (expected from real Flask)`, async () => {
        const sent = Object.fromEntries(Object.entries(c.request_headers).map(([k, v]) => [k, v.replace("{etag}", etag)]));
        const res = await rawRequest(port, c.method, encodeURI(c.path), sent);
        expect(res.status).to.equal(c.status);
        const expected: Record<string, string> = {};
        for (const [key, value] of Object.entries(c.headers)) {
          const folder = c.path.startsWith("/static/") ? "static" : "files";
          const file = path.join(root, folder, c.path.split("/").slice(2).join("/").split("?")[0]!);
          expected[key.toLowerCase()] = value.replace("{check}", String(adler32(file)));
        }
        for (const key of KEEP) {
          const actual = res.headers[key] as string | undefined;
          if (key === "expires" && expected[key] !== undefined) {
            expect(Date.parse(actual ?? ""), "Expires is an HTTP date").to.be.a("number").and.not.be.NaN;
          } else {
            expect(actual, key).to.equal(expected[key]);
          }
        }
        if (c.body !== null) expect(res.body.toString("utf8")).to.equal(c.body);
      });
    }
  });
}

describe("send_file", () => {
  let root: string;
  let app: Flask;
  before(() => {
    root = makeRoot();
    app = new Flask(import.meta.url, { root_path: root });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("answers with a streamed body for a path, relative to the app's root_path", () => {
    app.test_request_context().run(() => {
      const response = send_file("files/hello.txt");
      expect(response.is_streamed).to.equal(true);
      expect(response.stream).to.be.instanceOf(Readable);
      expect(response.content_length).to.equal(14);
    });
  });

  it("passes a stream through as the body, unread, with no Content-Length", async () => {
    const source = Readable.from(["chunk one, ", "chunk two"]);
    app.route("/stream", function stream() {
      const response = send_file(source, { download_name: "log.txt" });
      expect(response.stream).to.equal(source);
      expect(source.readableDidRead, "not read by send_file").to.equal(false);
      return response;
    });
    const res = await request(flaskish(app)).get("/stream");
    expect(res.status).to.equal(200);
    expect(res.headers["content-length"]).to.equal(undefined);
    expect(res.headers["content-type"]).to.equal("text/plain; charset=utf-8");
    expect(res.headers.etag).to.equal(undefined);
    expect(res.text).to.equal("chunk one, chunk two");
  });

  it("refuses a stream without download_name or mimetype with Werkzeug's message", () => {
    app.test_request_context().run(() => {
      expect(() => send_file(Readable.from(["x"]))).to.throw(TypeError, /Unable to detect the MIME type/);
      expect(() => send_file(Buffer.from("x"), { mimetype: "text/plain", as_attachment: true })).to.throw(TypeError, /No name provided for attachment/);
    });
  });

  it("uses SEND_FILE_MAX_AGE_DEFAULT when max_age is not given, and calls a max_age function with the path", () => {
    app.config.SEND_FILE_MAX_AGE_DEFAULT = 60;
    try {
      app.test_request_context().run(() => {
        expect(send_file("files/hello.txt").headers.get("Cache-Control")).to.equal("public, max-age=60");
        const seen: (string | null)[] = [];
        const response = send_file("files/hello.txt", { max_age: (p) => (seen.push(p), 5) });
        expect(response.headers.get("Cache-Control")).to.equal("public, max-age=5");
        expect(seen).to.deep.equal([path.join(root, "files", "hello.txt")]);
      });
    } finally {
      app.config.SEND_FILE_MAX_AGE_DEFAULT = null;
    }
  });

  it("takes last_modified over the file's mtime", () => {
    app.test_request_context().run(() => {
      const response = send_file("files/hello.txt", { last_modified: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) });
      expect(response.headers.get("Last-Modified")).to.equal("Thu, 02 Jan 2020 03:04:05 GMT");
    });
  });
});

describe("fileEtag", () => {
  it("writes the mtime as Python's float repr (whole seconds keep '.0')", () => {
    expect(fileEtag("/a", 1_700_000_000_000_000_000n, 3)).to.equal(`"1700000000.0-3-${adler32("/a")}"`);
    expect(fileEtag("/a", 1_700_000_000_250_000_000n, 3)).to.equal(`"1700000000.25-3-${adler32("/a")}"`);
  });
});

describe("contentDisposition", () => {
  it("quotes names with separators and escapes quotes and backslashes", () => {
    expect(contentDisposition("a b.txt", true)).to.equal('attachment; filename="a b.txt"');
    expect(contentDisposition("a\\b.txt", false)).to.equal('inline; filename="a\\\\b.txt"');
    expect(contentDisposition("", false)).to.equal('inline; filename=""');
  });
});

describe("guessType", () => {
  it("strips compression suffixes the way Python's mimetypes does", () => {
    expect(guessType("a.tar.gz")).to.deep.equal(["application/x-tar", "gzip"]);
    expect(guessType("a.tgz")).to.deep.equal(["application/x-tar", "gzip"]);
    expect(guessType("a.svgz")).to.deep.equal(["image/svg+xml", "gzip"]);
    expect(guessType("noext")).to.deep.equal([null, null]);
  });
});
