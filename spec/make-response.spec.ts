// The return-value table beyond the Flask fixture: streams of every kind, raw Node handlers,
// the tuple rule's edge cases, and errors raised by error handlers.
import { expect } from "chai";
import { Readable } from "node:stream";
import request from "supertest";
import { Flask, Headers, Response, flaskish, jsonify, make_response } from "../lib/index.js";
import { asTuple } from "../lib/make-response.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

function build(): Flask {
  const app = new Flask(import.meta.url);
  app.logger.setLevel("CRITICAL");
  app.route("/async-iterable", function async_iterable() {
    return (async function* () {
      yield "one ";
      await new Promise((r) => setTimeout(r, 5));
      yield Buffer.from("two");
    })();
  });
  app.route("/readable", function readable() { return Readable.from(["a", "b", "c"]); });
  app.route("/readable-response", function readable_response() {
    return new Response(Readable.from(["x", "y"]), { mimetype: "text/plain", status: 201 });
  });
  app.route("/raw", function raw() {
    return (_req: unknown, res: { setHeader(k: string, v: string): void; end(s: string): void }) => {
      res.setHeader("Content-Type", "text/plain");
      res.end("answered by a raw handler");
    };
  });
  app.route("/async-view", async function async_view() {
    await new Promise((r) => setTimeout(r, 1));
    return ["created later", 201];
  });
  app.route("/list-of-two-dicts", function list_of_two_dicts() { return [{ name: "a" }, { name: "b" }]; });
  app.route("/jsonify-tuple-like", function jsonify_tuple_like() { return jsonify(["ok", 200]); });
  app.route("/headers-instance", function headers_instance() { return [{ a: 1 }, new Headers([["X-A", "1"]])]; });
  app.route("/handler-fails", function handler_fails() { throw new RangeError("first"); });
  app.errorhandler(RangeError, () => { throw new Error("handler failed too"); });
  app.route("/bad-return", function bad_return() { return 42; });
  return app;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`view return values (${flavour.label})`, () => {
    const server = flavour.create().use(flaskish(build(), { propagate_errors: false }));

    it("streams an async iterable without Content-Length", async () => {
      const res = await request(server).get("/async-iterable");
      expect(res.text).to.equal("one two");
      expect(res.headers["content-length"]).to.equal(undefined);
    });

    it("streams a Node Readable", async () => {
      expect((await request(server).get("/readable")).text).to.equal("abc");
      const res = await request(server).get("/readable-response");
      expect(res.status).to.equal(201);
      expect(res.headers["content-type"]).to.equal("text/plain; charset=utf-8");
      expect(res.text).to.equal("xy");
    });

    it("hands a returned function the raw Node req/res", async () => {
      const res = await request(server).get("/raw");
      expect(res.text).to.equal("answered by a raw handler");
    });

    it("awaits async views", async () => {
      const res = await request(server).get("/async-view");
      expect(res.status).to.equal(201);
      expect(res.text).to.equal("created later");
    });

    it("reads an array of two dicts as a JSON list, not a tuple", async () => {
      const res = await request(server).get("/list-of-two-dicts");
      expect(res.body).to.deep.equal([{ name: "a" }, { name: "b" }]);
    });

    it("jsonify() never reads its argument as a tuple", async () => {
      expect((await request(server).get("/jsonify-tuple-like")).body).to.deep.equal(["ok", 200]);
    });

    it("a Headers instance makes (body, headers) even with a dict body", async () => {
      const res = await request(server).get("/headers-instance");
      expect(res.headers["x-a"]).to.equal("1");
      expect(res.body).to.deep.equal({ a: 1 });
    });

    it("an error raised in an error handler becomes a 500", async () => {
      const res = await request(server).get("/handler-fails");
      expect(res.status).to.equal(500);
      expect(res.text).to.contain("<h1>Internal Server Error</h1>");
    });

    it("an unusable return value is a 500 naming the view", async () => {
      const res = await request(server).get("/bad-return");
      expect(res.status).to.equal(500);
    });
  });
}

describe("asTuple (the documented tuple rule)", () => {
  it("recognises Flask's three shapes", () => {
    expect(asTuple(["body", 201])).to.deep.equal(["body", 201, undefined]);
    expect(asTuple(["body", "201 CREATED"])).to.deep.equal(["body", "201 CREATED", undefined]);
    expect(asTuple(["body", 201, { "X-A": "1" }])).to.deep.equal(["body", 201, { "X-A": "1" }]);
    expect(asTuple(["body", { "X-A": "1" }])).to.deep.equal(["body", undefined, { "X-A": "1" }]);
  });
  it("leaves JSON lists alone", () => {
    expect(asTuple([1, 2, 3])).to.equal(null);
    expect(asTuple(["a", "b"])).to.equal(null);
    expect(asTuple([{ a: "x" }, { b: "y" }])).to.equal(null);
    expect(asTuple(["a", 99])).to.equal(null);
    expect(asTuple(["a", 600])).to.equal(null);
  });
});

describe("make_response", () => {
  it("accepts everything a view may return, inside a request", () => {
    const app = new Flask(import.meta.url);
    app.test_request_context().run(() => {
      expect(make_response("x", 404).status).to.equal("404 NOT FOUND");
      expect(make_response({ a: 1 }).mimetype).to.equal("application/json");
      expect(make_response(["t", 202, { "X-B": "2" }]).headers.get("X-B")).to.equal("2");
      expect(make_response().status_code).to.equal(200);
      expect(() => make_response(null)).to.throw(/did not return a valid response/);
    });
  });
});

describe("streamed bodies that fail, and bodiless statuses (Werkzeug's behaviour)", () => {
  function failing(): Flask {
    const app = new Flask(import.meta.url);
    app.route("/fails-at-once", function fails_at_once() {
      return (function* () { throw new Error("db down"); })();
    });
    app.route("/fails-later", function fails_later() {
      return (function* () { yield "partial "; throw new Error("db down later"); })();
    });
    app.route("/no-content", function no_content() { return ["body", 204]; });
    app.route("/not-modified", function not_modified() {
      return ["body", 304, { ETag: '"abc"', "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT" }];
    });
    return app;
  }

  it("a generator failing before its first chunk becomes an error response, not a reset connection", async () => {
    const app = failing();
    const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(app));
    server.use((err: Error, _req: unknown, res: { status(n: number): { send(s: string): void } }, _next: unknown) => {
      res.status(500).send(`host saw: ${err.message}`);
    });
    const res = await request(server).get("/fails-at-once");
    expect(res.status).to.equal(500);
    expect(res.text).to.equal("host saw: db down");
  });

  it("a failure mid-stream drops the connection and is logged", async () => {
    const app = failing();
    const lines: string[] = [];
    app.logger.handlers.splice(0, app.logger.handlers.length, (line: string) => { lines.push(line); });
    const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(app));
    let failed = false;
    await request(server).get("/fails-later").catch(() => { failed = true; });
    expect(failed, "the client sees an aborted response").to.equal(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.join("\n")).to.contain("Error while streaming the response").and.to.contain("db down later");
  });

  it("204 has no Content-Length and 304 no entity headers (Flask: 204 sends Content-Type only, 304 ETag only)", async () => {
    const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(failing()));
    const noContent = await request(server).get("/no-content");
    expect(noContent.status).to.equal(204);
    expect(noContent.headers["content-length"]).to.equal(undefined);
    const notModified = await request(server).get("/not-modified");
    expect(notModified.status).to.equal(304);
    expect(notModified.headers.etag).to.equal('"abc"');
    expect(notModified.headers["content-type"]).to.equal(undefined);
    expect(notModified.headers["last-modified"]).to.equal(undefined);
  });
});

describe("app.response_class", () => {
  it("is used for text, bytes, streams and JSON, as Flask's make_response does", () => {
    class TextResponse extends Response {
      static override default_mimetype = "text/plain";
    }
    const app = new Flask(import.meta.url);
    app.response_class = TextResponse;
    app.test_request_context().run(() => {
      const text = make_response("hi");
      expect(text).to.be.instanceOf(TextResponse);
      expect(text.headers.get("Content-Type")).to.equal("text/plain; charset=utf-8");
      expect(make_response({ a: 1 })).to.be.instanceOf(TextResponse);
      expect(make_response(Buffer.from("x"))).to.be.instanceOf(TextResponse);
    });
  });
});
