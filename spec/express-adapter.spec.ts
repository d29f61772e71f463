// flaskish(app) as a Connect-style middleware: mount prefixes, fall-through to later routes,
// error hand-off to the host's error middleware, and bare node:http. Express 5 and 4 alike.
import { expect } from "chai";
import connect from "connect";
import http from "node:http";
import request from "supertest";
import express from "express";
import { Blueprint, Flask, InternalServerError, Response, flaskish, url_for, request as flaskRequest } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { listen, rawRequest } from "./support/raw-http.js";

function buildApp(): Flask {
  const app = new Flask(import.meta.url);
  app.route("/", function index() { return `index at ${url_for("index")}`; });
  app.route("/post/<int:post_id>", function show_post({ post_id }) {
    return `Post ${post_id} typeof ${typeof post_id} root=${flaskRequest.script_root} path=${flaskRequest.path} url=${flaskRequest.url}`;
  });
  app.route("/projects/", function projects() { return "projects"; });
  app.route("/boom", function boom() { throw new Error("kaboom"); });
  return app;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`flaskish() mounted in ${flavour.label}`, () => {
    describe("mount prefix", () => {
      const server = flavour.create();
      server.use("/legacy", flaskish(buildApp()));
      server.get("/legacy/express-route", (_req, res) => { res.send("express answered"); });

      it("url_for includes the mount prefix", async () => {
        const res = await request(server).get("/legacy/");
        expect(res.status).to.equal(200);
        expect(res.text).to.equal("index at /legacy/");
      });

      it("passes typed view args and mount-aware request attributes", async () => {
        const res = await request(server).get("/legacy/post/42?x=1").set("Host", "example.com");
        expect(res.text).to.equal("Post 42 typeof number root=/legacy path=/post/42 url=http://example.com/legacy/post/42?x=1");
      });

      it("strict-slash redirects keep the prefix and the query", async () => {
        const res = await request(server).get("/legacy/projects?a=1").set("Host", "example.com");
        expect(res.status).to.equal(308);
        expect(res.headers.location).to.equal("http://example.com/legacy/projects/?a=1");
      });

      it("unmatched URLs fall through to later Express routes", async () => {
        const res = await request(server).get("/legacy/express-route");
        expect(res.status).to.equal(200);
        expect(res.text).to.equal("express answered");
      });
    });

    describe("errors", () => {
      it("an unhandled error goes to the host's error middleware by default", async () => {
        const server = flavour.create();
        server.use(flaskish(buildApp()));
        server.use((err: Error, _req: unknown, res: { status(n: number): { send(s: string): void } }, _next: unknown) => {
          res.status(503).send(`host saw: ${err.message}`);
        });
        const res = await request(server).get("/boom");
        expect(res.status).to.equal(503);
        expect(res.text).to.equal("host saw: kaboom");
      });

      it("a flaskish 500 handler takes precedence over next(err)", async () => {
        const app = buildApp();
        app.logger.setLevel("CRITICAL"); // Flask logs the exception before the 500 handler runs
        app.errorhandler(500, (e) => [`flask 500 handler: ${((e as InternalServerError).original_exception as Error).message}`, 500]);
        const server = flavour.create().use(flaskish(app));
        server.use((_err: Error, _req: unknown, res: { status(n: number): { send(s: string): void } }, _next: unknown) => {
          res.status(503).send("host handler");
        });
        const res = await request(server).get("/boom");
        expect(res.status).to.equal(500);
        expect(res.text).to.equal("flask 500 handler: kaboom");
      });

      it("propagate_errors: false answers with Flask's 500 page", async () => {
        const app = buildApp();
        app.logger.setLevel("CRITICAL");
        const server = flavour.create().use(flaskish(app, { propagate_errors: false }));
        const res = await request(server).get("/boom");
        expect(res.status).to.equal(500);
        expect(res.text).to.contain("<title>500 Internal Server Error</title>");
      });

      it("fallthrough: false makes the app answer its own 404s with its handler", async () => {
        const app = buildApp();
        app.errorhandler(404, () => ["<h1>nothing here</h1>", 404]);
        const server = flavour.create().use(flaskish(app, { fallthrough: false }));
        server.use((_req, res) => { res.status(200).send("should not be reached"); });
        const res = await request(server).get("/nowhere");
        expect(res.status).to.equal(404);
        expect(res.text).to.equal("<h1>nothing here</h1>");
      });

      it("405 is the app's answer even when falling through is on", async () => {
        const server = flavour.create().use(flaskish(buildApp()));
        server.use((_req, res) => { res.status(200).send("fell through"); });
        const res = await request(server).post("/");
        expect(res.status).to.equal(405);
        expect(res.headers.allow!.split(", ").sort()).to.deep.equal(["GET", "HEAD", "OPTIONS"]);
      });
    });

    it("mounts a Blueprint directly", async () => {
      const bp = new Blueprint("api", import.meta.url);
      bp.route("/ping", function ping() { return { pong: true, url: url_for("api.ping") }; });
      const server = flavour.create().use("/v1", flaskish(bp));
      const res = await request(server).get("/v1/ping");
      expect(res.body).to.deep.equal({ pong: true, url: "/v1/ping" });
    });
  });
}

describe("flaskish() in Connect", () => {
  it("uses the mount prefix Connect strips and falls through to later middleware", async () => {
    const app = connect();
    app.use("/legacy", flaskish(buildApp()));
    app.use((_req: http.IncomingMessage, res: http.ServerResponse) => { res.end("connect answered"); });
    const server = http.createServer(app);
    expect((await request(server).get("/legacy/")).text).to.equal("index at /legacy/");
    expect((await request(server).get("/legacy/post/3")).text).to.match(/^Post 3 typeof number root=\/legacy path=\/post\/3/);
    expect((await request(server).get("/legacy/nothing")).text).to.equal("connect answered");
  });

  it("keeps the mount prefix of a target with a fragment, which it drops as Werkzeug does", async () => {
    const app = connect();
    app.use("/legacy", flaskish(buildApp()));
    const { port, close } = await listen(app);
    try {
      const res = await rawRequest(port, "GET", "/legacy/post/3?x=1#frag");
      expect(res.body.toString()).to.match(/^Post 3 typeof number root=\/legacy path=\/post\/3 url=http:\/\/127\.0\.0\.1:\d+\/legacy\/post\/3\?x=1$/);
    } finally {
      await close();
    }
  });
});

describe("flaskish() on bare node:http", () => {
  it("serves without Express, answering its own 404", async () => {
    const mw = flaskish(buildApp());
    const server = http.createServer((req, res) => mw(req, res));
    const ok = await request(server).get("/post/7");
    expect(ok.text).to.match(/^Post 7 typeof number root= path=\/post\/7/);
    const missing = await request(server).get("/missing");
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain("<h1>Not Found</h1>");
  });

  it("writes every value of a repeated header, whatever the case of its name", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.route("/", function many() {
      const resp = new Response("x");
      resp.set_cookie("a", "1");
      resp.set_cookie("b", "2");
      resp.headers.add("X-Multi", "one");
      resp.headers.add("x-multi", "two");
      return resp;
    });
    const mw = flaskish(app);
    for (const server of [http.createServer((req, res) => mw(req, res)), express().use(mw)]) {
      const res = await request(server).get("/");
      expect(res.headers["set-cookie"]).to.deep.equal(["a=1; Path=/", "b=2; Path=/"]);
      expect(res.headers["x-multi"]).to.equal("one, two");
    }
  });
});
