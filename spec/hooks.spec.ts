// Flask's pipeline stages: before_request short-circuits, after_request runs in reverse with
// blueprints first, teardown_request always runs with the error, after_this_request.
import { expect } from "chai";
import request from "supertest";
import { Blueprint, Flask, HTTPException, Response, Session, SessionInterface, abort, after_this_request, current_app, flaskish, g, session, type RequestContext, type SessionMixin } from "../lib/index.js";
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

describe("a request with no hooks (the pipeline without stages)", () => {
  // The pipeline runs such a request as plain calls and hands it to the staged pipeline at the
  // first promise, error, session to save or after_this_request function. Each URL below stops
  // at one of those points; the same app with a teardown hook (which always takes the staged
  // pipeline) must answer exactly the same, and both must answer what Flask does.
  function build(staged: boolean): { app: Flask; logged: string[]; torn: number[] } {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.secret_key = "k";
    const logged: string[] = [];
    const torn: number[] = [];
    app.logger.handlers = [(line) => logged.push(line)];
    if (staged) app.teardown_request(() => { torn.push(1); });
    app.route("/sync", function sync() { return "sync"; });
    app.route("/async", async function later() { await new Promise((r) => setImmediate(r)); return ["async", 201]; });
    app.route("/thenable", function thenable() { return Promise.resolve({ ok: true }); });
    app.route("/abort", function aborted() { abort(403); });
    app.route("/boom", function boom(): string { throw new TypeError("bad <thing>"); });
    app.route("/async-boom", async function asyncBoom(): Promise<string> { throw new TypeError("late"); });
    app.route("/nothing", function nothing() { return undefined as unknown as string; });
    app.route("/after", function after() {
      after_this_request((r: Response) => { r.headers.set("X-After", "yes"); return r; });
      return "after";
    });
    app.route("/session", function remember() { session.seen = 1; return "saved"; });
    app.route("/pending", function pending() { return [Promise.resolve("late body"), 202]; });
    app.errorhandler(403, (e) => [`handled ${(e as HTTPException).code}`, 403]);
    return { app, logged, torn };
  }

  const answers = async (app: Flask, path: string) => {
    const res = await request(flaskish(app)).get(path);
    return { status: res.status, body: res.text, type: res.headers["content-type"], after: res.headers["x-after"], cookie: res.headers["set-cookie"]?.[0]?.split("=")[0] };
  };

  const cases: [string, Partial<Awaited<ReturnType<typeof answers>>>][] = [
    ["/sync", { status: 200, body: "sync", type: "text/html; charset=utf-8" }],
    ["/async", { status: 201, body: "async" }],
    ["/thenable", { status: 200, body: '{"ok":true}\n', type: "application/json" }],
    ["/abort", { status: 403, body: "handled 403" }],
    ["/nothing", { status: 500 }],
    ["/after", { status: 200, body: "after", after: "yes" }],
    ["/session", { status: 200, body: "saved", cookie: "session" }],
    ["/pending", { status: 202, body: "late body" }],
  ];
  for (const [path, expected] of cases) {
    it(`answers ${path} as the staged pipeline does`, async () => {
      const plain = await answers(build(false).app, path);
      expect(plain).to.include(expected);
      const staged = build(true);
      expect(await answers(staged.app, path)).to.deep.equal(plain);
      expect(staged.torn).to.deep.equal([1]);
    });
  }

  it("makes no stage for a plain request, and the staged pipeline's for one with a hook", async () => {
    const stage = Flask.prototype.full_dispatch_request;
    let staged = 0;
    Flask.prototype.full_dispatch_request = function* (ctx: RequestContext) {
      staged++;
      return yield* stage.call(this, ctx);
    };
    try {
      await answers(build(false).app, "/sync");
      expect(staged).to.equal(0);
      await answers(build(true).app, "/sync");
      expect(staged).to.equal(1);
    } finally {
      Flask.prototype.full_dispatch_request = stage;
    }
  });

  it("logs an error raised by the view once and answers Flask's 500 page, sync or async", async () => {
    for (const path of ["/boom", "/async-boom"]) {
      const { app, logged } = build(false);
      const res = await answers(app, path);
      expect([res.status, res.body]).to.satisfy(([status, body]: [number, string]) => status === 500 && body.includes("<h1>Internal Server Error</h1>"));
      expect(logged).to.have.lengthOf(1);
      expect(logged[0]).to.contain(`Exception on ${path} [GET]`);
    }
  });

  it("answers a session interface that saves late, or fails to save, as the staged pipeline does", async () => {
    class LateSave extends SessionInterface {
      open_session(): SessionMixin | null { return new Session(); }
      async save_session(_app: Flask, s: SessionMixin, response: Response): Promise<void> {
        await new Promise((r) => setImmediate(r));
        response.headers.set("X-Saved", String(s.get("seen")));
      }
    }
    class FailingSave extends LateSave {
      override save_session(): Promise<void> { throw new Error("store full"); }
    }
    for (const staged of [false, true]) {
      const late = build(staged);
      late.app.session_interface = new LateSave();
      const res = await request(flaskish(late.app)).get("/session");
      expect([res.status, res.text, res.headers["x-saved"]]).to.deep.equal([200, "saved", "1"]);
      const failing = build(staged);
      failing.app.session_interface = new FailingSave();
      expect((await answers(failing.app, "/session")).status).to.equal(500);
      expect(failing.logged[0]).to.match(/Exception on \/session \[GET\]\nError: store full/);
    }
  });

  it("answers a session interface that fails to open, or opens late, as the staged pipeline does", async () => {
    class Failing extends SessionInterface {
      open_session(): SessionMixin | null { throw new Error("store down"); }
      save_session(): void {}
    }
    class Late extends SessionInterface {
      async open_session(): Promise<SessionMixin | null> { await new Promise((r) => setImmediate(r)); return new Session({ who: "late" }); }
      save_session(): void {}
    }
    for (const staged of [false, true]) {
      const failing = build(staged);
      failing.app.session_interface = new Failing();
      const res = await answers(failing.app, "/sync");
      expect(res.status).to.equal(500);
      expect(failing.logged[0]).to.match(/Exception on \/sync \[GET\]\nError: store down/);
      const late = build(staged);
      late.app.session_interface = new Late();
      late.app.route("/who", function who() { return String(session.get("who")); });
      expect((await answers(late.app, "/who")).body).to.equal("late");
    }
  });
});
