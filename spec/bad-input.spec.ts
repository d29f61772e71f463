// Malformed URLs decode the way Werkzeug decodes them, odd methods get 405, oversized request
// lines are refused, and the server keeps answering. Expected values: real Flask 3.1
// (spec/fixtures/bad-input.json, made by spec/fixtures/gen/bad_input.py).
import { expect } from "chai";
import http from "node:http";
import net from "node:net";
import { readFileSync } from "node:fs";
import request from "supertest";
import { Flask, flaskish, request as flaskRequest } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

interface Case { url: string; method?: string; status: number; json?: unknown; allow?: string[] }
const cases = JSON.parse(readFileSync(new URL("./fixtures/bad-input.json", import.meta.url), "utf8")) as Case[];

function build(): Flask {
  const app = new Flask(import.meta.url);
  app.route("/echo/<path:rest>", function echo({ rest }) {
    return { rest, path: flaskRequest.path, args: flaskRequest.args.items(true), full_path: flaskRequest.full_path };
  });
  app.route("/", function index() {
    return { path: flaskRequest.path, args: flaskRequest.args.items(true) };
  });
  return app;
}

/** Sends a request line byte for byte (supertest would re-encode the URL). */
function rawRequest(port: number, method: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => { data += chunk; });
    socket.on("end", () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), body: Buffer.from(rest.join("\r\n\r\n"), "latin1").toString("utf8") });
    });
    socket.on("error", reject);
  });
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`malformed URLs and methods (${flavour.label}; expected values from real Flask)`, () => {
    let server: http.Server;
    let port: number;
    before(async () => {
      server = http.createServer(flavour.create().use(flaskish(build(), { fallthrough: false })));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    for (const c of cases) {
      const method = c.method ?? "GET";
      it(`${method} ${c.url} -> ${c.status}`, async () => {
        const res = await rawRequest(port, method, c.url);
        expect(res.status).to.equal(c.status);
        if (c.json !== undefined) {
          const body = JSON.parse(res.body) as Record<string, unknown>;
          expect(body).to.deep.equal(c.json);
        }
        if (c.allow !== undefined) {
          const allowRes = await request(server)[method.toLowerCase() as "get"]("/");
          expect(allowRes.headers.allow!.split(", ").sort()).to.deep.equal(c.allow);
        }
      });
    }

    // Werkzeug's development server answers 414 past 65,536 bytes; under Node the HTTP parser of
    // the host server refuses an oversized request head before any middleware runs, with 431.
    it("refuses an overlong request line (Node's 431) and keeps answering", async () => {
      const res = await rawRequest(port, "GET", `/echo/${"a".repeat(70000)}`);
      expect(res.status).to.equal(431);
      const next = await rawRequest(port, "GET", "/echo/still-here");
      expect(next.status).to.equal(200);
    });

    // Werkzeug's server routes an absolute-form target (RFC 9112 3.2.2) by its path.
    it("routes an absolute-form request target by its path", async () => {
      const res = await rawRequest(port, "GET", "http://example.com/echo/abs?x=1");
      expect(res.status).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ rest: "abs", path: "/echo/abs", args: [["x", "1"]], full_path: "/echo/abs?x=1" });
    });

    it("answers a request line with an unknown method with 400 and keeps answering", async () => {
      const res = await rawRequest(port, "FROB", "/");
      expect(res.status).to.equal(400);
      expect((await rawRequest(port, "GET", "/")).status).to.equal(200);
    });
  });
}
