// Context locals: request, g and current_app follow each request through awaits, never leak
// between concurrent requests, and fail with Flask's message outside a context.
import { expect } from "chai";
import { setImmediate as nextTick, setTimeout as sleep } from "node:timers/promises";
import request from "supertest";
import { Flask, current_app, flaskish, g, has_request_context, request as flaskRequest, url_for } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

describe("context isolation under concurrent async requests", () => {
  for (const flavour of EXPRESS_FLAVOURS) {
    it(`200 interleaved requests each see only their own request and g (${flavour.label})`, async () => {
      const app = new Flask(import.meta.url);
      app.before_request(() => {
        g.id = flaskRequest.args.get("id");
      });
      app.route("/work/<int:n>", async function work({ n }) {
        const seen: string[] = [];
        for (let i = 0; i < 4; i++) {
          await sleep((n * 7) % 5);
          await nextTick();
          seen.push(`${flaskRequest.args.get("id")}:${g.id}:${flaskRequest.view_args!.n}`);
        }
        return { seen, app: current_app.name };
      });
      const server = flavour.create().use(flaskish(app));
      const agent = request(server);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, n) => agent.get(`/work/${n}?id=req${n}`).then((res) => [n, res.body] as const)),
      );
      for (const [n, body] of results) {
        expect(body.seen).to.deep.equal(Array(4).fill(`req${n}:req${n}:${n}`));
        expect(body.app).to.equal("context.spec");
      }
    });
  }
});

describe("app.test_request_context", () => {
  const app = new Flask(import.meta.url);
  app.route("/hello", { methods: ["GET", "POST"] }, function hello() { return "hi"; });

  it("run() makes request available inside the callback (the quickstart's with block)", () => {
    app.test_request_context("/hello", { method: "POST" }).run(() => {
      expect(flaskRequest.path).to.equal("/hello");
      expect(flaskRequest.method).to.equal("POST");
      expect(url_for("hello")).to.equal("/hello");
    });
  });

  it("works with `using` and pops at the end of the block", () => {
    {
      using _ctx = app.test_request_context("/hello?x=1");
      expect(flaskRequest.args.get("x")).to.equal("1");
      expect(flaskRequest.endpoint).to.equal("hello");
    }
    expect(() => flaskRequest.path).to.throw(/Working outside of request context/);
  });

  it("g belongs to one app context", () => {
    app.app_context().run(() => {
      g.value = 1;
      expect("value" in g).to.equal(true);
      expect(g.get("missing", "dflt")).to.equal("dflt");
      expect(g.pop("value")).to.equal(1);
      expect("value" in g).to.equal(false);
    });
    app.app_context().run(() => expect(g.get("value")).to.equal(undefined));
  });
});

describe("context push and pop", () => {
  it("a `using` inside an async function does not leak into its caller after the function returns", async () => {
    const app = new Flask(import.meta.url);
    async function job(): Promise<string> {
      using _ctx = app.test_request_context("/job");
      await sleep(2);
      return flaskRequest.path;
    }
    expect(await job()).to.equal("/job");
    expect(has_request_context()).to.equal(false);
    await sleep(1);
    expect(has_request_context()).to.equal(false);
  });

  it("popping runs the teardown hooks, as leaving Flask's `with` block does", () => {
    const app = new Flask(import.meta.url);
    const log: string[] = [];
    app.teardown_request(() => { log.push("teardown_request"); });
    app.teardown_appcontext(() => { log.push("teardown_appcontext"); });
    app.app_context().run(() => undefined);
    expect(log).to.deep.equal(["teardown_appcontext"]);
    log.length = 0;
    app.test_request_context().run(() => undefined);
    expect(log).to.deep.equal(["teardown_request", "teardown_appcontext"]);
  });

  it("a test request inside an app context of the same app shares its g (Flask 3.1)", () => {
    const app = new Flask(import.meta.url);
    const log: string[] = [];
    app.teardown_appcontext(() => { log.push("appctx"); });
    app.app_context().run(() => {
      g.db = "connection";
      app.test_request_context("/").run(() => {
        expect(g.get("db")).to.equal("connection");
      });
      expect(log, "the outer app context is torn down once, when it ends").to.deep.equal([]);
    });
    expect(log).to.deep.equal(["appctx"]);
  });
});

describe("proxies outside a context", () => {
  it("request says what to do, as Flask's RuntimeError does", () => {
    expect(() => flaskRequest.method).to.throw(/Working outside of request context[\s\S]*test_request_context/);
  });
  it("g and current_app need an app context", () => {
    expect(() => g.x).to.throw(/Working outside of application context/);
    expect(() => current_app.name).to.throw(/Working outside of application context/);
  });
  it("url_for outside a request needs SERVER_NAME", () => {
    const app = new Flask(import.meta.url);
    app.route("/", function index() { return ""; });
    expect(() => app.app_context().run(() => url_for("index"))).to.throw(/SERVER_NAME/);
    app.config.SERVER_NAME = "example.com";
    expect(app.app_context().run(() => url_for("index"))).to.equal("http://example.com/");
  });
});

describe("app.handle(app.request_context(environ))", () => {
  it("routes a context that was not routed yet, and answers without the adapter", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.route("/post/<int:post_id>", ({ post_id }) => `Post ${post_id} ${flaskRequest.path}`);
    const environ = { method: "GET", scheme: "http", host: "localhost", script_name: "", raw_path: "/post/7", query_string: "", headers: {}, remote_addr: "127.0.0.1" };
    const response = await app.handle(app.request_context(environ));
    expect(response.status).to.equal("200 OK");
    expect(response.get_data(true)).to.equal("Post 7 /post/7");
    const missing = await app.handle(app.request_context({ ...environ, raw_path: "/nope" }));
    expect(missing.status_code).to.equal(404);
  });
});
