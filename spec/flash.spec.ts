// Message flashing. The with_categories / category_filter outputs and the cookies around them
// were recorded from real Flask 3.1 (the "flash_semantics" and "quickstart_login_logout"
// scenarios of spec/fixtures/flask-session-http.json, made by gen/flask_session_http.py) and are
// replayed against the twin app with the session clock pinned (no time bomb).
import { expect } from "chai";
import request from "supertest";
import { Flask, flash, flaskish, get_flashed_messages, render_template_string, session } from "../lib/index.js";
import { use_nunjucks } from "../lib/nunjucks.js";
import { Markup } from "../lib/markup.js";
import { Tuple } from "../lib/tagged-json.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { buildSessionApp } from "./support/session-app.js";
import { HTTP_FIXTURE, mountScenario, replayStep } from "./support/session-replay.js";

const semantics = HTTP_FIXTURE.scenarios.find((s) => s.name === "flash_semantics")!;

function keyedApp(): Flask {
  const app = new Flask(import.meta.url);
  app.secret_key = "flash-spec";
  return app;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`get_flashed_messages over HTTP (${flavour.label})`, () => {
    const queries = semantics.steps.filter((s) => s.path.startsWith("/messages"));
    it(`answers ${queries.length} with_categories/category_filter queries as real Flask 3.1 did, cookies included`, async () => {
      expect(queries.length).to.be.greaterThan(3);
      const { server, setClock } = mountScenario(flavour, semantics);
      for (const step of semantics.steps) await replayStep(server, semantics, step, setClock);
    });

    it("keeps a message across a redirect and shows it once, on the next request that reads it", async () => {
      const app = buildSessionApp();
      const agent = request.agent(flavour.create().use(flaskish(app)));
      const login = await agent.post("/login").type("form").send({ username: "alice" });
      expect(login.status).to.equal(302);
      expect((await agent.get("/nothing")).text, "a request that does not read them leaves them").to.equal("nothing");
      expect((await agent.get(login.headers.location as string)).text).to.equal("Logged in as alice\n* You were logged in");
      expect((await agent.get("/")).text).to.equal("Logged in as alice");
      await agent.get("/logout");
      expect((await agent.get("/")).text).to.equal("You are not logged in\n* You were logged out");
    });
  });
}

describe("flash", () => {
  it("appends (category, message) tuples under _flashes, Flask's storage", () => {
    const app = keyedApp();
    app.test_request_context("/").run(() => {
      flash("Saved");
      flash("Careful", "warning");
      const stored = session.get("_flashes") as unknown[];
      expect(stored).to.deep.equal([["message", "Saved"], ["warning", "Careful"]]);
      expect(stored.every((t) => t instanceof Tuple), "tuples, so the cookie says ' t' as Flask's does").to.equal(true);
      expect(session.modified).to.equal(true);
    });
  });

  it("keeps Markup messages as Markup", () => {
    keyedApp().test_request_context("/").run(() => {
      flash(new Markup("<b>bold</b>"), "info");
      const [message] = get_flashed_messages();
      expect(message).to.be.instanceOf(Markup);
      expect(String(message)).to.equal("<b>bold</b>");
    });
  });

  it("fails without a secret key, saying to set app.secret_key", () => {
    new Flask(import.meta.url).test_request_context("/").run(() => {
      expect(() => flash("x")).to.throw(/no secret key was set\. Set app\.secret_key/);
    });
  });

  it("needs a request", () => {
    expect(() => flash("x")).to.throw(/Working outside of request context/);
  });
});

describe("get_flashed_messages", () => {
  it("pops the messages once and returns the same list for the rest of the request (Flask's request_ctx.flashes)", () => {
    keyedApp().test_request_context("/").run(() => {
      flash("one");
      expect(get_flashed_messages()).to.deep.equal(["one"]);
      expect(session.has("_flashes")).to.equal(false);
      flash("two"); // for the next request: the cache of this one is already filled
      expect(get_flashed_messages()).to.deep.equal(["one"]);
      expect(get_flashed_messages({ with_categories: true })).to.deep.equal([["message", "one"]]);
      expect(session.get("_flashes")).to.deep.equal([["message", "two"]]);
    });
  });

  it("filters by category independently of with_categories", () => {
    keyedApp().test_request_context("/").run(() => {
      flash("a");
      flash("b", "error");
      flash("c", "info");
      expect(get_flashed_messages({ category_filter: ["error", "info"] })).to.deep.equal(["b", "c"]);
      expect(get_flashed_messages({ with_categories: true, category_filter: new Set(["info"]) })).to.deep.equal([["info", "c"]]);
      expect(get_flashed_messages({ category_filter: [] })).to.deep.equal(["a", "b", "c"]);
    });
  });

  // The template and its output are real Flask 3.1's (Jinja): 'info:c;|b|message=a;error=b;info=c;'.
  it("takes Flask's positional arguments, as a template calls it", () => {
    const app = keyedApp();
    use_nunjucks(app);
    app.test_request_context("/").run(() => {
      flash("a");
      flash("b", "error");
      flash("c", "info");
      expect(get_flashed_messages(true, ["info"])).to.deep.equal([["info", "c"]]);
      const withCategories: boolean = false;
      expect(get_flashed_messages(withCategories, null)).to.deep.equal(["a", "b", "c"]);
      const template = `{% for c, m in get_flashed_messages(True, ["info"]) %}{{ c }}:{{ m }};{% endfor %}|{{ get_flashed_messages(False, category_filter=["error"])|join(",") }}|{% for c, m in get_flashed_messages(True) %}{{ c }}={{ m }};{% endfor %}`;
      expect(render_template_string(template)).to.equal("info:c;|b|message=a;error=b;info=c;");
    });
  });

  it("returns an empty list and leaves the session unmodified when nothing was flashed", () => {
    keyedApp().test_request_context("/").run(() => {
      expect(get_flashed_messages()).to.deep.equal([]);
      expect(session.modified).to.equal(false);
    });
  });

  it("reads flashes stored as plain arrays (JSON stores of express-session drop tuple-ness)", () => {
    keyedApp().test_request_context("/").run(() => {
      session.set("_flashes", [["error", "from a JSON store"]]);
      expect(get_flashed_messages({ with_categories: true, category_filter: ["error"] })).to.deep.equal([["error", "from a JSON store"]]);
    });
  });

  it("keeps requests apart: each request context has its own cache", () => {
    const app = keyedApp();
    app.test_request_context("/").run(() => {
      flash("first request");
      expect(get_flashed_messages()).to.deep.equal(["first request"]);
    });
    app.test_request_context("/").run(() => {
      expect(get_flashed_messages()).to.deep.equal([]);
    });
  });
});
