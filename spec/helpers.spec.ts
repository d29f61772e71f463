// url_for's underscore options and BuildError, redirect(), abort() with a response.
import { expect } from "chai";
import request from "supertest";
import { BuildError, Flask, abort, flaskish, make_response, redirect, url_for } from "../lib/index.js";

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

  it("_scheme without _external fails with Flask's message", () => {
    build().test_request_context().run(() => {
      expect(() => url_for("index", { _scheme: "https" })).to.throw("When specifying '_scheme', '_external' must be true.");
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
