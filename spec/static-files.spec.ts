// The static route and send_from_directory: files under the folder are served (with the headers
// proven in send-file.spec.ts), and no request path, however spelled, reaches a file outside it.
// Traversal attempts go over raw HTTP (no client-side normalising) through a mounted app.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blueprint, Flask, flaskish, url_for } from "../lib/index.js";
import { safe_join } from "../lib/static-files.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { listen, rawRequest } from "./support/raw-http.js";

function makeRoot(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-static-")));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("secret.txt", "TOP SECRET");
  write("static/style.css", "body { color: red; }");
  write("static/sub/app.js", "console.log(1);");
  write("assets/logo.txt", "logo");
  write("admin/admin_static/admin.css", ".admin {}");
  fs.symlinkSync(path.join(root, "secret.txt"), path.join(root, "static/link-out.txt"));
  fs.symlinkSync(root, path.join(root, "static/dir-out"));
  fs.symlinkSync(path.join(root, "static/style.css"), path.join(root, "static/link-in.css"));
  return root;
}

const TRAVERSALS = [
  "/static/../secret.txt",
  "/static/sub/../../secret.txt",
  "/static/%2e%2e/secret.txt",
  "/static/%2e%2e%2fsecret.txt",
  "/static/%2E%2E%2Fsecret.txt",
  "/static/..%2fsecret.txt",
  "/static/sub/%2e%2e/%2e%2e/secret.txt",
  `/static/${encodeURIComponent(path.join(os.tmpdir(), "x", "..", "..", "etc", "passwd"))}`,
  "/static//etc/passwd",
  "/static/%2fetc%2fpasswd",
  "/static/..%5csecret.txt",
  "/static/sub%5c..%5c..%5csecret.txt",
  "/static/C:%5cwindows%5cwin.ini",
  "/static/style.css%00.txt",
  "/static/%00",
  "/static/link-out.txt",
  "/static/dir-out/secret.txt",
  "/static/sub",
  "/static/",
];

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`static route (${flavour.label})`, () => {
    const root = makeRoot();
    const app = new Flask(import.meta.url, { root_path: root });
    const host = flavour.create();
    host.use("/mounted", flaskish(app));
    host.use(flaskish(app, { fallthrough: false }));
    let port = 0;
    let close = async () => {};
    before(async () => ({ port, close } = await listen(host)));
    after(async () => {
      await close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("serves a file next to the app at /static/<path:filename>", async () => {
      const res = await rawRequest(port, "GET", "/static/style.css");
      expect(res.status).to.equal(200);
      expect(res.body.toString()).to.equal("body { color: red; }");
      expect(res.headers["content-type"]).to.equal("text/css; charset=utf-8");
      expect(res.headers["cache-control"]).to.equal("no-cache");
    });

    it("serves nested files and symlinks that stay inside the folder", async () => {
      expect((await rawRequest(port, "GET", "/static/sub/app.js")).body.toString()).to.equal("console.log(1);");
      expect((await rawRequest(port, "GET", "/static/link-in.css")).status).to.equal(200);
    });

    it("serves under the mount prefix too", async () => {
      expect((await rawRequest(port, "GET", "/mounted/static/style.css")).status).to.equal(200);
    });

    for (const attempt of TRAVERSALS) {
      it(`answers 404 and never the secret for ${attempt}`, async () => {
        for (const prefix of ["", "/mounted"]) {
          let res = await rawRequest(port, "GET", prefix + attempt);
          // Werkzeug merges a decoded "//" with a 308 (as Flask does); the target must be a 404 too.
          if (res.status === 308) res = await rawRequest(port, "GET", new URL(res.headers.location!).pathname);
          expect(res.body.toString(), prefix + attempt).not.to.include("TOP SECRET");
          if (prefix === "") expect(res.status, attempt).to.equal(404);
          else expect(res.status, attempt).to.be.oneOf([404, 400]);
        }
      });
    }
  });
}

describe("url_for('static')", () => {
  const root = makeRoot();
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("builds /static/<filename>, with the mount prefix inside a request", () => {
    const app = new Flask(import.meta.url, { root_path: root });
    app.test_request_context().run(() => expect(url_for("static", { filename: "style.css" })).to.equal("/static/style.css"));
    app.test_request_context("/", { base_url: "http://localhost/mounted/" }).run(() => {
      expect(url_for("static", { filename: "css/a b.css" })).to.equal("/mounted/static/css/a%20b.css");
    });
  });

  it("follows static_folder and static_url_path", async () => {
    const app = new Flask(import.meta.url, { root_path: root, static_folder: "assets", static_url_path: "/files" });
    app.test_request_context().run(() => expect(url_for("static", { filename: "logo.txt" })).to.equal("/files/logo.txt"));
    const { port, close } = await listen(flaskish(app) as Parameters<typeof listen>[0]);
    try {
      expect((await rawRequest(port, "GET", "/files/logo.txt")).body.toString()).to.equal("logo");
      expect((await rawRequest(port, "GET", "/files/../secret.txt")).status).to.equal(404);
    } finally {
      await close();
    }
  });

  it("uses static_host for external static URLs", () => {
    const app = new Flask(import.meta.url, { root_path: root, static_host: "cdn.example.com", host_matching: true });
    app.test_request_context().run(() => {
      expect(url_for("static", { filename: "style.css" })).to.equal("http://cdn.example.com/static/style.css");
    });
  });

  it("serves a blueprint's static folder under its prefix as <blueprint>.static", async () => {
    const app = new Flask(import.meta.url, { root_path: root });
    const admin = new Blueprint("admin", import.meta.url, { root_path: path.join(root, "admin"), static_folder: "admin_static", url_prefix: "/admin" });
    app.register_blueprint(admin);
    app.test_request_context().run(() => {
      expect(url_for("admin.static", { filename: "admin.css" })).to.equal("/admin/admin_static/admin.css");
    });
    const { port, close } = await listen(flaskish(app) as Parameters<typeof listen>[0]);
    try {
      expect((await rawRequest(port, "GET", "/admin/admin_static/admin.css")).body.toString()).to.equal(".admin {}");
      expect((await rawRequest(port, "GET", "/admin/admin_static/..%2f..%2fsecret.txt")).status).to.equal(404);
    } finally {
      await close();
    }
  });
});

describe("safe_join", () => {
  it("joins safe names and refuses escaping ones as Werkzeug does", () => {
    expect(safe_join("/srv", "a/b.txt")).to.equal("/srv/a/b.txt");
    expect(safe_join("/srv", "a/../b.txt")).to.equal("/srv/b.txt");
    expect(safe_join("", "b.txt")).to.equal("b.txt");
    for (const bad of ["..", "../x", "a/../../x", "/etc/passwd", "a\\b", "C:x", "x\0y"]) expect(safe_join("/srv", bad), bad).to.equal(null);
  });
});

describe("get_send_file_max_age", () => {
  const root = makeRoot();
  it("gives static files SEND_FILE_MAX_AGE_DEFAULT, or what a subclass decides per file", async () => {
    class LongCache extends Flask {
      override get_send_file_max_age(filename: string | null): number | null {
        return filename?.endsWith(".css") ? 31536000 : super.get_send_file_max_age(filename);
      }
    }
    const app = new LongCache(import.meta.url, { root_path: root });
    app.config.SEND_FILE_MAX_AGE_DEFAULT = 60;
    const client = app.test_client();
    expect((await client.get("/static/style.css")).headers.get("Cache-Control")).to.equal("public, max-age=31536000"); // Werkzeug's send_file with max_age
    expect(new Flask(import.meta.url, { root_path: root }).get_send_file_max_age("x.txt")).to.equal(null);
    app.config.SEND_FILE_MAX_AGE_DEFAULT = 60;
    expect(app.get_send_file_max_age("app.js")).to.equal(60);
  });
});
