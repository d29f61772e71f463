// Blueprints: url_prefix, dotted endpoints, nesting, relative url_for and registration errors.
import { expect } from "chai";
import { Blueprint, Flask, url_for } from "../lib/index.js";

describe("Blueprint", () => {
  function build(): Flask {
    const app = new Flask(import.meta.url);
    const parent = new Blueprint("parent", import.meta.url, { url_prefix: "/parent" });
    const child = new Blueprint("child", import.meta.url, { url_prefix: "/child" });
    parent.route("/", function index() { return "parent"; });
    child.route("/page/<int:n>", function page({ n }) { return `page ${n}`; });
    child.route("/", function index() { return url_for(".page", { n: 3 }); });
    parent.register_blueprint(child);
    app.register_blueprint(parent);
    return app;
  }

  describe("register_blueprint", () => {
    it("prefixes rules and names endpoints parent.child.name, as Flask does", () => {
      const rules = build().url_map.iter_rules().map((r) => [r.endpoint, r.rule]).sort();
      expect(rules).to.deep.equal([
        ["parent.child.index", "/parent/child/"],
        ["parent.child.page", "/parent/child/page/<int:n>"],
        ["parent.index", "/parent/"],
      ]);
    });

    it("refuses to register two blueprints under one name", () => {
      const app = new Flask(import.meta.url);
      app.register_blueprint(new Blueprint("x", import.meta.url));
      expect(() => app.register_blueprint(new Blueprint("x", import.meta.url))).to.throw(/'x' is already registered.*name/);
    });

    it("registers the same blueprint twice under another name", () => {
      const app = new Flask(import.meta.url);
      const bp = new Blueprint("bp", import.meta.url);
      bp.route("/", function index() { return ""; });
      app.register_blueprint(bp, { url_prefix: "/one" });
      app.register_blueprint(bp, { url_prefix: "/two", name: "bp2" });
      app.test_request_context().run(() => {
        expect(url_for("bp.index")).to.equal("/one/");
        expect(url_for("bp2.index")).to.equal("/two/");
      });
    });
  });

  describe("url_for", () => {
    it("resolves .name against the current blueprint", () => {
      const app = build();
      app.test_request_context("/parent/child/").run(() => {
        expect(url_for(".page", { n: 3 })).to.equal("/parent/child/page/3");
        expect(url_for("parent.index")).to.equal("/parent/");
      });
    });
  });

  it("refuses setup after registration, as Flask's _check_setup_finished does", () => {
    const app = new Flask(import.meta.url);
    const bp = new Blueprint("late", import.meta.url);
    app.register_blueprint(bp);
    expect(() => bp.route("/late", function late() { return ""; })).to.throw(/setup method 'record' can no longer be called on the blueprint 'late'/);
    expect(() => bp.before_request(() => undefined)).to.throw(/setup method 'before_request'/);
    expect(() => bp.errorhandler(404, () => "x")).to.throw(/setup method 'register_error_handler'/);
  });

  describe("route", () => {
    // Flask names a lambda view "<lambda>" (bp.route("/x")(lambda: "x") gives the endpoint
    // "bp.<lambda>"); flaskish names an anonymous view after its rule, on an app and on a blueprint.
    it("names an anonymous view after its rule, as the app does", async () => {
      const app = new Flask(import.meta.url);
      const bp = new Blueprint("bp", import.meta.url, { url_prefix: "/bp" });
      bp.route("/x", () => "x");
      bp.get("/login", () => "form");
      bp.post("/login", () => "done");
      app.register_blueprint(bp);
      app.register_blueprint(bp, { name: "again", url_prefix: "/again" });
      const rules = app.url_map.iter_rules().filter((r) => r.endpoint !== "static").map((r) => `${r.endpoint} at ${r.rule}`).sort();
      expect(rules).to.deep.equal([
        "again./login POST at /again/login",
        "again./login at /again/login",
        "again./x at /again/x",
        "bp./login POST at /bp/login",
        "bp./login at /bp/login",
        "bp./x at /bp/x",
      ]);
      const client = app.test_client();
      expect((await client.get("/bp/x")).text).to.equal("x");
      expect((await client.post("/bp/login")).text).to.equal("done");
      app.test_request_context("/bp/x").run(() => expect(url_for("./x")).to.equal("/bp/x"));
    });

    it("gives views the variables of the url_prefix, which their arguments' type includes", async () => {
      const app = new Flask(import.meta.url);
      const docs = new Blueprint("docs", import.meta.url, { url_prefix: "/<lang>" });
      docs.route("/", { defaults: { page: 1 } }, function index({ lang, page }) { return `${lang.toUpperCase()} ${page + 1}`; });
      app.register_blueprint(docs);
      expect((await app.test_client().get("/de/")).text).to.equal("DE 2");
    });

    it("refuses, at bp.route, an anonymous view whose rule cannot be its endpoint", () => {
      const bp = new Blueprint("feeds", import.meta.url, { url_prefix: "/feeds" });
      const message = /The view for blueprint rule "\/feed\.xml" has no name and its rule has a dot, which separates blueprint names in an endpoint: use a named function or pass \{ endpoint \}/;
      expect(() => bp.route("/feed.xml", () => "<rss/>")).to.throw(TypeError, message);
      expect(() => bp.route("", () => "root")).to.throw(TypeError, /rule "" has no name and its rule is empty/);
      expect(() => bp.route("/feed.xml", { endpoint: "feed" }, () => "<rss/>")).not.to.throw();
      expect(() => bp.route("/atom.xml", function atom() { return "<feed/>"; })).not.to.throw();
      expect(bp.deferred_functions).to.have.length(2);
    });
  });

  it("rejects dotted names", () => {
    expect(() => new Blueprint("a.b", import.meta.url)).to.throw(/must not contain a dot/);
  });
});

describe("iter_blueprints", () => {
  it("lists the registered blueprints in registration order, nested ones included", () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    const parent = new Blueprint("parent", import.meta.url);
    parent.register_blueprint(new Blueprint("child", import.meta.url));
    app.register_blueprint(new Blueprint("first", import.meta.url));
    app.register_blueprint(parent);
    expect(app.iter_blueprints().map((bp) => bp.name)).to.deep.equal(["first", "parent", "child"]);
  });
});
