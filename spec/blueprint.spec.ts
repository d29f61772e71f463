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
