// The session contract: Session's dict behaviour and change tracking (Werkzeug's CallbackDict
// rules: clear/update always count as a change, pop/setdefault only when they change something),
// NullSession, and a custom SessionInterface plugged into a real app, as Flask allows.
import { expect } from "chai";
import request from "supertest";
import { Flask, flaskish, session } from "../lib/index.js";
import type { Request } from "../lib/request.js";
import type { Response } from "../lib/response.js";
import { NullSession, Session, SessionInterface, addVaryCookie, type SessionMixin } from "../lib/session-interface.js";
import { Response as FlaskResponse } from "../lib/response.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

describe("Session", () => {
  it("reads and writes keys as properties and through dict methods", () => {
    const s = new Session({ a: 1 });
    s.b = 2;
    s.set("c", 3);
    expect(s.a).to.equal(1);
    expect(s.get("b")).to.equal(2);
    expect(s.get("missing", "dflt")).to.equal("dflt");
    expect("c" in s).to.equal(true);
    expect(s.has("zzz")).to.equal(false);
    expect(s.keys()).to.deep.equal(["a", "b", "c"]);
    expect(s.items()).to.deep.equal([["a", 1], ["b", 2], ["c", 3]]);
    expect({ ...s }).to.deep.equal({ a: 1, b: 2, c: 3 });
    expect(s.length).to.equal(3);
    delete s.a;
    expect(s.to_dict()).to.deep.equal({ b: 2, c: 3 });
  });

  it("refuses to shadow a method with a key, pointing at set()", () => {
    const s = new Session();
    // @ts-expect-error items is a method; TypeScript refuses too
    expect(() => { s.items = [1]; }).to.throw(TypeError, /session\.set\("items", value\)/);
    s.set("items", [1]);
    expect(s.get("items")).to.deep.equal([1]);
  });

  describe("modified", () => {
    const cases: [string, (s: Session) => void, boolean][] = [
      ["a write", (s) => { s.x = 1; }, true],
      ["a read", (s) => { void s.a; s.get("a"); s.has("a"); }, false],
      ["pop of a present key", (s) => s.pop("a"), true],
      ["pop of a missing key with a default", (s) => s.pop("nope", null), false],
      ["setdefault of a present key", (s) => s.setdefault("a", 9), false],
      ["setdefault of a missing key", (s) => s.setdefault("b", 9), true],
      ["clear of an empty session (Flask then deletes the cookie)", (s) => { s.clear(); s.clear(); }, true],
      ["update with nothing", (s) => s.update({}), true],
      ["permanent = true", (s) => { s.permanent = true; }, true],
    ];
    for (const [label, act, expected] of cases) {
      it(`is ${expected} after ${label}`, () => {
        const s = new Session({ a: 1 });
        act(s);
        expect(s.modified).to.equal(expected);
      });
    }

    it("misses in-place changes to nested values until set by hand, as in Flask", () => {
      const s = new Session({ list: [1] });
      (s.list as number[]).push(2);
      expect(s.modified).to.equal(false);
      s.modified = true;
      expect(s.modified).to.equal(true);
    });
  });

  describe("accessed", () => {
    it("is false until the session is used, and reading it does not count as use", () => {
      const s = new Session({ a: 1 });
      expect(s.accessed).to.equal(false);
      expect(s.accessed).to.equal(false);
      void s.modified; // Flask 3.1.3: any use through the proxy counts
      expect(s.accessed).to.equal(true);
    });
  });

  it("pop without a default throws for a missing key, like dict.pop", () => {
    expect(() => new Session().pop("x")).to.throw(/KeyError: "x"/);
  });

  it("stores permanent as _permanent", () => {
    const s = new Session();
    expect(s.permanent).to.equal(false);
    s.permanent = true;
    expect(s.to_dict()).to.deep.equal({ _permanent: true });
  });
});

describe("NullSession", () => {
  it("reads as empty and fails every write with the secret key message", () => {
    const s = new NullSession();
    expect(s.get("a", 1)).to.equal(1);
    expect(s.has("a")).to.equal(false);
    const writes: [string, () => unknown][] = [
      ["property set", () => { s.a = 1; }],
      ["set", () => s.set("a", 1)],
      ["pop", () => s.pop("a", null)],
      ["delete", () => delete s.a],
      ["clear", () => s.clear()],
      ["setdefault", () => s.setdefault("a")],
      ["update", () => s.update({})],
      ["permanent", () => { s.permanent = true; }],
    ];
    for (const [label, write] of writes) {
      expect(write, label).to.throw(/no secret key was set\. Set app\.secret_key/);
    }
  });
});

describe("addVaryCookie", () => {
  it("adds Cookie once and keeps other Vary values", () => {
    const response = new FlaskResponse("x");
    addVaryCookie(response);
    expect(response.headers.get("Vary")).to.equal("Cookie");
    response.headers.set("Vary", "Accept-Encoding, cookie");
    addVaryCookie(response);
    expect(response.headers.get("Vary")).to.equal("Accept-Encoding, cookie");
  });
});

describe("SessionInterface", () => {
  class Probe extends SessionInterface {
    open_session(): Session { return new Session(); }
    save_session(): void {}
  }

  it("reads the cookie settings from config, with Flask's fallbacks", () => {
    const app = new Flask(import.meta.url);
    const probe = new Probe();
    expect(probe.get_cookie_name(app)).to.equal("session");
    expect(probe.get_cookie_path(app)).to.equal("/");
    app.config.APPLICATION_ROOT = "/root";
    expect(probe.get_cookie_path(app)).to.equal("/root");
    app.config.SESSION_COOKIE_PATH = "/p";
    expect(probe.get_cookie_path(app)).to.equal("/p");
    expect(probe.get_cookie_httponly(app)).to.equal(true);
    expect(probe.get_cookie_samesite(app)).to.equal(null);
  });

  it("computes expiry from its clock and PERMANENT_SESSION_LIFETIME, only for permanent sessions", () => {
    const app = new Flask(import.meta.url);
    app.config.PERMANENT_SESSION_LIFETIME = 60;
    const probe = new Probe();
    probe.now = () => 1_000;
    const s = new Session();
    expect(probe.get_expiration_time(app, s)).to.equal(null);
    s.permanent = true;
    expect(probe.get_expiration_time(app, s)?.getTime()).to.equal(1_060_000);
  });

  it("should_set_cookie: modified, or permanent with SESSION_REFRESH_EACH_REQUEST", () => {
    const app = new Flask(import.meta.url);
    const probe = new Probe();
    const permanent = new Session({ _permanent: true });
    expect(probe.should_set_cookie(app, new Session({ a: 1 }))).to.equal(false);
    expect(probe.should_set_cookie(app, permanent)).to.equal(true);
    app.config.SESSION_REFRESH_EACH_REQUEST = false;
    expect(probe.should_set_cookie(app, permanent)).to.equal(false);
  });

  for (const flavour of EXPRESS_FLAVOURS) {
    it(`plugs in a custom async interface through app.session_interface (${flavour.label})`, async () => {
      const store = new Map<string, Record<string, unknown>>([["t1", { username: "tess" }]]);
      const saved: string[] = [];
      class HeaderSessions extends SessionInterface {
        async open_session(_app: Flask, req: Request): Promise<SessionMixin | null> {
          await new Promise((r) => setImmediate(r));
          const id = req.headers.get("X-Session-Id") as string | null;
          if (id === "none") return null; // Flask: fall back to the null session
          return new Session(id === null ? {} : store.get(id) ?? {});
        }
        async save_session(_app: Flask, s: SessionMixin, response: Response): Promise<void> {
          await new Promise((r) => setTimeout(r, 1));
          if (!s.modified) return;
          store.set("t2", s.to_dict());
          saved.push("t2");
          response.headers.set("X-Session-Id", "t2");
        }
      }
      const app = new Flask(import.meta.url);
      app.session_interface = new HeaderSessions();
      app.route("/who", () => `${session.get("username", "nobody")} ${session instanceof NullSession}`);
      app.route("/rename", () => { session.username = "ted"; return "ok"; });
      const server = flavour.create().use(flaskish(app));
      expect((await request(server).get("/who").set("X-Session-Id", "t1")).text).to.equal("tess false");
      expect((await request(server).get("/who").set("X-Session-Id", "none")).text).to.equal("nobody true");
      const renamed = await request(server).get("/rename").set("X-Session-Id", "t1");
      expect(renamed.headers["x-session-id"]).to.equal("t2");
      expect(store.get("t2")).to.deep.equal({ username: "ted" });
      expect(saved).to.deep.equal(["t2"]);
    });
  }
});
