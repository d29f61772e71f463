// Flask's pipeline stages: before_request short-circuits, after_request runs in reverse with
// blueprints first, teardown_request always runs with the error, after_this_request.
import { expect } from "chai";
import request from "supertest";
import { Blueprint, Flask, Response, abort, after_this_request, current_app, flaskish, g, type RequestContext } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

function build(log: string[]): Flask {
  const app = new Flask(import.meta.url);
  app.before_request(() => { log.push("before app"); });
  app.after_request((r) => { log.push("after app 1"); r.headers.add("X-Order", "app1"); return r; });
  app.after_request((r) => { log.push("after app 2"); r.headers.add("X-Order", "app2"); });
  app.teardown_request((e) => { log.push(`teardown app ${e === null ? "null" : (e as Error).message}`); });
  app.route("/", function index() { log.push("view"); return "ok"; });
  app.route("/stop", function stop() { return "view ran"; });
  app.before_request(() => {
    if (g.stop === undefined && log.includes("stop-requested")) return ["stopped early", 403];
    return undefined;
  });
  app.route("/fail", function fail() { throw new Error("view failed"); });
  app.route("/cookie", function cookie() {
    after_this_request((r: Response) => { r.set_cookie("visited", "yes"); return r; });
    return "with cookie";
  });
  const bp = new Blueprint("bp", import.meta.url, { url_prefix: "/bp" });
  bp.before_request(() => { log.push("before bp"); });
  bp.after_request((r) => { log.push("after bp"); r.headers.add("X-Order", "bp"); return r; });
  bp.teardown_request(() => { log.push("teardown bp"); });
  bp.route("/", function index() { log.push("bp view"); return "bp ok"; });
  bp.route("/missing", function missing() { abort(404); });
  bp.errorhandler(404, () => ["bp 404 handler", 404]);
  app.errorhandler(404, () => ["app 404 handler", 404]);
  app.register_blueprint(bp);
  return app;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`request hooks (${flavour.label})`, () => {
    it("run in Flask's order: before (app, then blueprint), view, after reversed (blueprint first), teardown", async () => {
      const log: string[] = [];
      const server = flavour.create().use(flaskish(build(log)));
      const res = await request(server).get("/bp/");
      expect(res.text).to.equal("bp ok");
      expect(log).to.deep.equal(["before app", "before bp", "bp view", "after bp", "after app 2", "after app 1", "teardown bp", "teardown app null"]);
      expect(res.headers["x-order"]).to.equal("bp, app2, app1");
    });

    it("a before_request return value short-circuits the view", async () => {
      const log = ["stop-requested"];
      const server = flavour.create().use(flaskish(build(log)));
      const res = await request(server).get("/stop");
      expect(res.status).to.equal(403);
      expect(res.text).to.equal("stopped early");
      expect(log).to.include("after app 1");
    });

    it("teardown_request receives the unhandled error", async () => {
      const log: string[] = [];
      const app = build(log);
      app.logger.setLevel("CRITICAL");
      const server = flavour.create().use(flaskish(app, { propagate_errors: false }));
      const res = await request(server).get("/fail");
      expect(res.status).to.equal(500);
      expect(log).to.include("teardown app view failed");
    });

    it("after_this_request changes only this response", async () => {
      const server = flavour.create().use(flaskish(build([])));
      const res = await request(server).get("/cookie");
      expect(res.headers["set-cookie"]).to.deep.equal(["visited=yes; Path=/"]);
      const other = await request(server).get("/");
      expect(other.headers["set-cookie"]).to.equal(undefined);
    });

    it("blueprint error handlers win for the blueprint's requests only", async () => {
      const server = flavour.create().use(flaskish(build([]), { fallthrough: false }));
      expect((await request(server).get("/bp/missing")).text).to.equal("bp 404 handler");
      expect((await request(server).get("/nowhere")).text).to.equal("app 404 handler");
    });
  });
}

describe("errorhandler registration", () => {
  it("rejects an unknown status code with a message that says what to do", () => {
    const app = new Flask(import.meta.url);
    expect(() => app.errorhandler(999, () => "x")).to.throw(/'999' is not a recognized HTTP error code. Use a subclass of HTTPException/);
  });
  it("duplicate endpoints with different views fail at registration", () => {
    const app = new Flask(import.meta.url);
    app.route("/a", function page() { return "a"; });
    expect(() => app.route("/b", function page() { return "b"; })).to.throw(/overwriting an existing endpoint function: page/);
  });
  it("anonymous views on one rule with different methods stay apart", () => {
    const app = new Flask(import.meta.url);
    app.get("/login", () => "form");
    app.post("/login", () => "done");
    expect(app.url_map.iter_rules().map((r) => r.endpoint).sort()).to.deep.equal(["/login", "/login POST"]);
  });
});

describe("pipeline stages overridden in a subclass", () => {
  // The pipeline skips a stage that has no hooks to run, unless a subclass overrides it.
  class TracedFlask extends Flask {
    trace: string[] = [];
    override *preprocess_request(ctx: RequestContext) {
      this.trace.push("preprocess");
      return yield* super.preprocess_request(ctx);
    }
    override *process_response(ctx: RequestContext, response: Response) {
      this.trace.push("process_response");
      response = yield* super.process_response(ctx, response);
      response.headers.set("X-Traced", "1");
      return response;
    }
    override *do_teardown_request(ctx: RequestContext, error: unknown = null) {
      this.trace.push(`teardown_request ${error === null ? "null" : "error"}`);
      yield* super.do_teardown_request(ctx, error);
    }
    override *do_teardown_appcontext(error: unknown = null) {
      this.trace.push("teardown_appcontext");
      yield* super.do_teardown_appcontext(error);
    }
  }

  it("run even when the app registers no hooks", async () => {
    const app = new TracedFlask(import.meta.url);
    app.route("/", function index() { return "ok"; });
    const res = await request(flaskish(app)).get("/");
    expect(res.text).to.equal("ok");
    expect(res.headers["x-traced"]).to.equal("1");
    expect(app.trace).to.deep.equal(["preprocess", "process_response", "teardown_request null", "teardown_appcontext"]);
  });

  it("a preprocess_request override that returns a value ends the request", async () => {
    class Gate extends Flask {
      override *preprocess_request(ctx: RequestContext) {
        return (yield* super.preprocess_request(ctx)) ?? (ctx.request.args.get("key") === "k" ? undefined : ["no key", 403]);
      }
    }
    const app = new Gate(import.meta.url);
    app.route("/", function index() { return "in"; });
    expect((await request(flaskish(app)).get("/")).status).to.equal(403);
    expect((await request(flaskish(app)).get("/?key=k")).text).to.equal("in");
  });

  it("a finalize_request override runs with no hooks, for views and for error handlers", async () => {
    class Stamped extends Flask {
      override *finalize_request(ctx: RequestContext, rv: unknown, from_error_handler = false) {
        const response = yield* super.finalize_request(ctx, rv, from_error_handler);
        response.headers.set("X-Finalized", from_error_handler ? "error" : "view");
        return response;
      }
    }
    const app = new Stamped(import.meta.url);
    app.route("/", function index() { return "ok"; });
    app.route("/boom", function boom(): string { throw new Error("boom"); });
    app.errorhandler(500, () => ["handled", 500]);
    const ok = await request(flaskish(app)).get("/");
    expect([ok.text, ok.headers["x-finalized"]]).to.deep.equal(["ok", "view"]);
    const failed = await request(flaskish(app)).get("/boom");
    expect([failed.status, failed.text, failed.headers["x-finalized"]]).to.deep.equal([500, "handled", "error"]);
  });
});

describe("a request's app context", () => {
  // The pipeline makes it only when something asks for it; it must behave as if it were always there.
  it("is the same one for g, current_app and teardown_appcontext, and is torn down once", async () => {
    const app = new Flask(import.meta.url);
    const seen: unknown[] = [];
    app.before_request(() => { g.user = "ann"; });
    app.route("/", function index() { return `${g.user} ${current_app.config === app.config}`; });
    app.teardown_appcontext(() => { seen.push(g.user); });
    expect((await request(flaskish(app)).get("/")).text).to.equal("ann true");
    expect(seen).to.deep.equal(["ann"]);
  });

  it("is a fresh one per request, with an empty g", async () => {
    const app = new Flask(import.meta.url);
    let n = 0;
    app.route("/", function index() { const before = "count" in g; g.count = ++n; return String(before); });
    expect((await request(flaskish(app)).get("/")).text).to.equal("false");
    expect((await request(flaskish(app)).get("/")).text).to.equal("false");
  });
});
