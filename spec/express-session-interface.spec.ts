// Sessions over the host stack's express-session: Flask semantics (modified tracking, permanent
// -> cookie maxAge, clear/pop, flashes, Vary) while the host's routes share the same req.session
// and store. Uses express-session's MemoryStore; the Redis, two-process case is in
// shared-sessions-redis.spec.ts.
import { expect } from "chai";
import expressSession from "express-session";
import type { Express } from "express";
import request from "supertest";
import { Flask, flash, flaskish, get_flashed_messages, redirect, session } from "../lib/index.js";
import { DefaultSessionInterface, ExpressSession, ExpressSessionInterface } from "../lib/express-session-interface.js";
import { SecureCookieSession, SecureCookieSessionInterface } from "../lib/secure-cookie-session.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

interface Stored { cookie: { originalMaxAge: number | null }; [key: string]: unknown }

function memoryStore(): expressSession.MemoryStore & { writes: number; all: () => Stored[] } {
  const store = new expressSession.MemoryStore() as expressSession.MemoryStore & { writes: number; all: () => Stored[] };
  store.writes = 0;
  const set = store.set.bind(store);
  store.set = (sid, data, cb) => { store.writes++; set(sid, data, cb); };
  store.all = () => Object.values((store as unknown as { sessions: Record<string, string> }).sessions).map((s) => JSON.parse(s) as Stored);
  return store;
}

function buildApp(iface: "express" | "default"): Flask {
  const app = new Flask(import.meta.url);
  if (iface === "express") app.session_interface = new ExpressSessionInterface();
  else app.session_interface = new DefaultSessionInterface();
  app.config.PERMANENT_SESSION_LIFETIME = 7200;
  app.route("/login", { methods: ["POST"] }, () => {
    session.username = "alice";
    flash("You were logged in");
    return redirect("/");
  });
  app.route("/", () => {
    const messages = get_flashed_messages({ with_categories: true });
    return JSON.stringify({ username: session.get("username"), messages, kind: session.constructor.name });
  });
  app.route("/nothing", () => "nothing");
  app.route("/read", () => String(session.get("cart")));
  app.route("/push-in-place", () => { (session.get("list") as number[]).push(99); return "pushed"; });
  app.route("/push-and-mark", () => { (session.get("list") as number[]).push(7); session.modified = true; return "marked"; });
  app.route("/remember", () => { session.permanent = true; return "remembered"; });
  app.route("/forget", () => { session.permanent = false; return "forgotten"; });
  app.route("/logout", () => { session.pop("username", null); return "bye"; });
  app.route("/clear", () => { session.clear(); return "cleared"; });
  return app;
}

function host(flavour: (typeof EXPRESS_FLAVOURS)[number], app: Flask, store: expressSession.Store): Express {
  const server = flavour.create();
  server.use(expressSession({ secret: "host-secret", store, resave: false, saveUninitialized: false }));
  // Host routes next to the Flask app, reading and writing the same req.session.
  server.get("/host/whoami", (req, res) => { res.send(String((req.session as unknown as Record<string, unknown>).username)); });
  server.get("/host/cart", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.cart = ["apple"];
    s.list = [1, 2];
    res.send("ok");
  });
  server.use(flaskish(app, { fallthrough: false, propagate_errors: false }));
  return server;
}

for (const flavour of EXPRESS_FLAVOURS) {
  for (const iface of ["express", "default"] as const) {
    const label = iface === "express" ? "ExpressSessionInterface" : "DefaultSessionInterface (detected req.session)";
    describe(`${label} (${flavour.label})`, () => {
      it("shares req.session with host routes both ways, flashes included, across a redirect", async () => {
        const store = memoryStore();
        const agent = request.agent(host(flavour, buildApp(iface), store));
        const login = await agent.post("/login");
        expect(login.status).to.equal(302);
        expect(login.headers["set-cookie"]?.[0]).to.match(/^connect\.sid=/);
        expect((await agent.get("/host/whoami")).text).to.equal("alice");
        const index = JSON.parse((await agent.get("/")).text);
        expect(index).to.deep.equal({ username: "alice", messages: [["message", "You were logged in"]], kind: "ExpressSession" });
        expect(JSON.parse((await agent.get("/")).text).messages, "consumed once").to.deep.equal([]);
        await agent.get("/host/cart");
        expect((await agent.get("/read")).text).to.equal("apple");
      });

      it("writes back only modified sessions (in-place edits need session.modified = true, as in Flask)", async () => {
        const store = memoryStore();
        const agent = request.agent(host(flavour, buildApp(iface), store));
        await agent.get("/host/cart");
        const writes = store.writes;
        await agent.get("/read");
        await agent.get("/push-in-place");
        expect(store.writes, "no write for reads or unflagged in-place edits").to.equal(writes);
        expect(store.all()[0]?.list).to.deep.equal([1, 2]);
        await agent.get("/push-and-mark");
        expect(store.writes).to.equal(writes + 1);
        expect(store.all()[0]?.list).to.deep.equal([1, 2, 7]);
      });

      it("maps permanent to the cookie's maxAge (PERMANENT_SESSION_LIFETIME) and back to a browser-session cookie", async () => {
        const store = memoryStore();
        const agent = request.agent(host(flavour, buildApp(iface), store));
        await agent.post("/login");
        expect(store.all()[0]?.cookie.originalMaxAge).to.equal(null);
        const remembered = await agent.get("/remember");
        expect(remembered.headers["set-cookie"]?.[0]).to.match(/; Expires=/);
        expect(store.all()[0]?._permanent).to.equal(true);
        expect(store.all()[0]?.cookie.originalMaxAge).to.equal(7200 * 1000);
        const forgotten = await agent.get("/forget");
        expect(forgotten.headers["set-cookie"]?.[0]).to.not.match(/Expires=/);
        expect(store.all()[0]?.cookie.originalMaxAge).to.equal(null);
      });

      it("removes popped and cleared keys from the store, and sends Vary: Cookie only when the session was used", async () => {
        const store = memoryStore();
        const agent = request.agent(host(flavour, buildApp(iface), store));
        await agent.post("/login");
        await agent.get("/host/cart");
        expect((await agent.get("/nothing")).headers.vary).to.equal(undefined);
        expect((await agent.get("/logout")).headers.vary).to.equal("Cookie");
        expect(store.all()[0]).to.not.have.property("username");
        expect(store.all()[0]).to.have.property("cart");
        await agent.get("/clear");
        expect(Object.keys(store.all()[0] ?? {})).to.deep.equal(["cookie"]);
        expect((await agent.get("/host/whoami")).text).to.equal("undefined");
      });
    });
  }

  describe(`DefaultSessionInterface without express-session (${flavour.label})`, () => {
    it("falls back to Flask's signed cookie", async () => {
      const app = buildApp("default");
      app.secret_key = "k";
      const agent = request.agent(flavour.create().use(flaskish(app)));
      const login = await agent.post("/login");
      expect(login.headers["set-cookie"]?.[0]).to.match(/^session=eyJ/);
      expect(JSON.parse((await agent.get("/")).text)).to.deep.include({ username: "alice", kind: "SecureCookieSession" });
    });
  });

  describe(`app.session_interface = new SecureCookieSessionInterface() (${flavour.label})`, () => {
    it("keeps signed cookies even when the host mounted express-session", async () => {
      const app = buildApp("default");
      app.session_interface = new SecureCookieSessionInterface();
      app.secret_key = "k";
      const agent = request.agent(host(flavour, app, memoryStore()));
      const login = await agent.post("/login");
      expect((login.headers["set-cookie"] as unknown as string[]).join("\n")).to.match(/^session=eyJ/m);
      expect((await agent.get("/host/whoami")).text).to.equal("undefined");
    });
  });
}

describe("ExpressSessionInterface.open_session", () => {
  it("says to mount express-session when req.session is missing", () => {
    const app = new Flask(import.meta.url);
    const ctx = app.test_request_context("/");
    try {
      expect(() => new ExpressSessionInterface().open_session(app, ctx.request)).to.throw(/mount express-session .* before flaskish\(app\)/);
    } finally {
      ctx.pop();
    }
  });

  it("copies the data, without express-session's cookie, into an ExpressSession", () => {
    const hostSession = { cookie: { maxAge: null }, username: "u", nested: { a: [1] } };
    const s = new ExpressSession(hostSession);
    expect(s.to_dict()).to.deep.equal({ username: "u", nested: { a: [1] } });
    (s.get("nested") as { a: number[] }).a.push(2);
    expect(hostSession.nested.a, "nested values are copies").to.deep.equal([1]);
    expect(s.host_session).to.equal(hostSession);
    expect(new SecureCookieSession()).to.not.be.instanceOf(ExpressSession);
  });
});

describe("Flask.session_interface default", () => {
  it("is the DefaultSessionInterface, which detects the host's req.session", () => {
    expect(new Flask(import.meta.url).session_interface).to.be.instanceOf(DefaultSessionInterface);
  });
});
