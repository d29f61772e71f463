// url_for's underscore options and BuildError, redirect(), abort() with a response,
// stream_with_context and copy_current_request_context.
import { expect } from "chai";
import request from "supertest";
import {
  BuildError, Flask, HTTPException, abort, copy_current_request_context, flaskish, jsonify, make_response, redirect, request as flask_request,
  stream_with_context, url_for,
} from "../lib/index.js";

function build(): Flask {
  const app = new Flask(import.meta.url);
  app.route("/", function index() { return "index"; });
  const item = ({ id }: { id: number }) => `item ${id}`;
  app.add_url_rule("/item/<int:id>", { methods: ["GET"], endpoint: "item" }, item);
  app.add_url_rule("/item/<int:id>/edit", { methods: ["POST"], endpoint: "item" }, item);
  app.route("/teapot", function teapot() { abort(make_response({ error: "short and stout" }, 418)); });
  return app;
}

describe("url_for", () => {
  it("_external with _scheme, _anchor and _method, as Flask builds them", () => {
    const app = build();
    app.test_request_context("/", { base_url: "http://example.com/mount" }).run(() => {
      expect(url_for("index", { _external: true })).to.equal("http://example.com/mount/");
      expect(url_for("index", { _external: true, _scheme: "https" })).to.equal("https://example.com/mount/");
      expect(url_for("index", { _anchor: "top" })).to.equal("/mount/#top");
      expect(url_for("item", { id: 5, _method: "POST" })).to.equal("/mount/item/5/edit");
      expect(url_for("item", { id: 5 })).to.equal("/mount/item/5");
    });
  });

  it("_scheme with _external: false fails with Flask's message", () => {
    build().test_request_context().run(() => {
      expect(() => url_for("index", { _scheme: "https", _external: false })).to.throw("When specifying '_scheme', '_external' must be true.");
    });
  });

  it("throws a BuildError that names the endpoint and suggests the closest one", () => {
    build().test_request_context().run(() => {
      let error: unknown;
      try {
        url_for("indx");
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(BuildError);
      expect((error as Error).message).to.contain("'indx'").and.to.contain("Did you mean 'index' instead?");
      expect(() => url_for("item")).to.throw(BuildError, /id/);
    });
  });
});

describe("redirect and abort", () => {
  it("redirect() defaults to 302 and takes a code", () => {
    const app = build();
    app.test_request_context().run(() => {
      expect(redirect("/x").status_code).to.equal(302);
      expect(redirect("/x", 301).status).to.equal("301 MOVED PERMANENTLY");
      expect(redirect("/x").location).to.equal("/x");
    });
  });

  it("abort(response) sends that response", async () => {
    const res = await request(flaskish(build()) as never).get("/teapot");
    expect(res.status).to.equal(418);
    expect(res.body).to.deep.equal({ error: "short and stout" });
  });

  it("abort() with an unknown code says what to do", () => {
    expect(() => abort(299)).to.throw(/no HTTP exception is defined for this code/);
  });
});

describe("review fixes, each checked against real Flask 3.1", () => {
  it("url_for with _scheme alone is external inside a request (Flask: https://localhost/)", () => {
    build().test_request_context().run(() => {
      expect(url_for("index", { _scheme: "https" })).to.equal("https://localhost/");
    });
  });

  it("abort(response) skips error handlers, even one for HTTPException (Flask: 418 with the body)", async () => {
    const app = build();
    app.errorhandler(HTTPException, (e) => [{ generic: true }, e.code]);
    const res = await request(flaskish(app) as never).get("/teapot");
    expect(res.status).to.equal(418);
    expect(res.body).to.deep.equal({ error: "short and stout" });
  });

  it("testing mode re-raises before any 500 handler (Flask's PROPAGATE_EXCEPTIONS)", async () => {
    const app = build();
    app.testing = true;
    app.errorhandler(500, () => ["handled", 500]);
    app.route("/boom", function boom() { throw new RangeError("boom"); });
    let caught: unknown;
    await app.test_client().get("/boom").catch((e: unknown) => { caught = e; });
    expect(caught).to.be.instanceOf(RangeError).with.property("message", "boom");
  });

  it("methods given as a string fail at registration", () => {
    const app = new Flask(import.meta.url);
    expect(() => app.route("/x", { methods: "POST" as unknown as string[] }, function x() { return ""; })).to.throw(TypeError, /must be a list of strings/);
  });

  it("a thrown null reaches the 500 page instead of breaking the handler lookup", async () => {
    const app = build();
    app.logger.setLevel("CRITICAL");
    app.errorhandler(RangeError, () => "range");
    app.route("/null", function thrower() { throw null; });
    const res = await request(flaskish(app, { propagate_errors: false }) as never).get("/null");
    expect(res.status).to.equal(500);
  });

  it("a bare status string gets its reason phrase; jsonify() is null", () => {
    const app = build();
    app.test_request_context().run(() => {
      expect(make_response(["x", "201"]).status).to.equal("201 CREATED");
      expect(jsonify().get_data(true)).to.equal("null\n");
    });
  });
});

describe("stream_with_context and copy_current_request_context", () => {
  it("keeps the request context for a streamed sync or async generator, which fails without it (as in Flask)", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.logger.setLevel("CRITICAL"); // the bare generator fails mid-stream on purpose
    app.route("/sync", () => stream_with_context((function* () { yield "Hello "; yield flask_request.args.get("name") ?? "nobody"; })()));
    app.route("/async", () => stream_with_context((async function* () {
      yield "Hi ";
      await new Promise((resolve) => setTimeout(resolve, 2));
      yield flask_request.args.get("name") ?? "nobody";
    })()));
    app.route("/bare", () => (function* () { yield "Hello "; yield flask_request.args.get("name") ?? "nobody"; })());
    const client = app.test_client();
    expect((await client.get("/sync?name=ann")).text).to.equal("Hello ann");
    expect((await client.get("/async?name=bob")).text).to.equal("Hi bob");
    let failed = false;
    try {
      await client.get("/bare?name=ann");
    } catch {
      failed = true; // the connection drops once the headers are out, as a WSGI server's would
    }
    expect(failed).to.equal(true);
  });

  it("takes a generator function too (Flask's decorator form), keeping the context of the request that called it", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    const greet = stream_with_context(function* (greeting: string) {
      yield `${greeting} `;
      yield flask_request.args.get("name") ?? "nobody";
    });
    app.route("/", () => greet("Hello"));
    expect((await app.test_client().get("/?name=cy")).text).to.equal("Hello cy");
  });

  it("runs a copied function in the request's context after the view returned", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    let later: Promise<string> | undefined;
    app.route("/", function index() {
      const read = copy_current_request_context(() => `${flask_request.path} ${flask_request.args.get("q")}`);
      later = new Promise((resolve) => setTimeout(() => resolve(read()), 5));
      return "ok";
    });
    await app.test_client().get("/?q=1");
    expect(await later).to.equal("/ 1");
  });

  it("refuses both outside a request, with Flask's message", () => {
    expect(() => stream_with_context([])).to.throw("'stream_with_context' can only be used when a request context is active, such as in a view function.");
    expect(() => copy_current_request_context(() => 1)).to.throw("'copy_current_request_context' can only be used when a request context is active, such as in a view function.");
  });
});

describe("url_build_error_handlers and make_default_options_response", () => {
  it("asks the handlers when url_for cannot build, the first URL winning, else throws the (last) BuildError", () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    const seen: unknown[] = [];
    app.url_build_error_handlers.push((_error, endpoint, values) => {
      seen.push([endpoint, values._external]);
      return null;
    });
    app.url_build_error_handlers.push((_error, endpoint) => (endpoint.startsWith("legacy.") ? `https://old.example.com/${endpoint}` : null));
    app.test_request_context().run(() => {
      expect(url_for("legacy.home")).to.equal("https://old.example.com/legacy.home");
      expect(() => url_for("nowhere")).to.throw(BuildError);
    });
    expect(seen).to.deep.equal([["legacy.home", false], ["nowhere", false]]);
  });

  it("answers OPTIONS through make_default_options_response, which a subclass can extend", async () => {
    class Cors extends Flask {
      override make_default_options_response(ctx: Parameters<Flask["make_default_options_response"]>[0]) {
        const response = super.make_default_options_response(ctx);
        response.headers.set("Access-Control-Allow-Methods", response.headers.get("Allow") ?? "");
        return response;
      }
    }
    const app = new Cors(import.meta.url, { static_folder: null });
    app.route("/thing", { methods: ["GET", "PUT"] }, function thing() { return "t"; });
    const res = await app.test_client().open("/thing", { method: "OPTIONS" });
    expect(res.headers.get("Access-Control-Allow-Methods")).to.equal("GET, HEAD, OPTIONS, PUT");
  });
});

describe("app.aborter and app.redirect", () => {
  class NetworkTimeout extends HTTPException {
    static override code = 599;
    static override description = "The network timed out.";
  }

  it("lets abort() raise a code of the app's own through app.aborter.mapping, only in that app", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.aborter.mapping.set(599, NetworkTimeout);
    app.route("/slow", function slow() { abort(599); });
    const res = await app.test_client().get("/slow");
    expect(res.status_code).to.equal(599);
    expect(res.text).to.contain("The network timed out.");
    expect(() => abort(599)).to.throw(/no HTTP exception is defined for this code\. Add one to app\.aborter\.mapping/);
  });

  it("routes redirect() through app.redirect in an app context, which a subclass can change", () => {
    class SeeOther extends Flask {
      override redirect(location: string, code = 302) {
        return super.redirect(location, code === 302 ? 303 : code);
      }
    }
    const app = new SeeOther(import.meta.url, { static_folder: null });
    app.test_request_context().run(() => expect(redirect("/next").status_code).to.equal(303));
    expect(redirect("/next").status_code).to.equal(302);
  });
});
