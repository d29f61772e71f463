// Signed-cookie sessions, wire-compatible with Flask both ways, through a real app over HTTP.
// Expected values came from real Flask 3.1 (spec/fixtures/gen/flask_session_http.py): its
// Set-Cookie, Vary and bodies request by request, and what it found in cookies our app minted
// (spec/fixtures/gen/mint_flaskish_http.ts). No time bomb: every request runs with the session
// clock (`session_interface.now`) pinned to the recorded instant.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { Flask, flaskish, session } from "../lib/index.js";
import { SecureCookieSessionInterface } from "../lib/secure-cookie-session.js";
import { SessionCookieSerializer } from "../lib/session-serializer.js";
import { TimestampSigner } from "../lib/itsdangerous.js";
import { NullSession, Session } from "../lib/session-interface.js";
import { Response } from "../lib/response.js";
import { HTTP_MINT_CASES, mintOverHttp } from "./fixtures/gen/mint_flaskish_http.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { buildSessionApp } from "./support/session-app.js";
import { HTTP_FIXTURE, expectSameSetCookie, mountScenario, payloadText, replayStep } from "./support/session-replay.js";

const T0 = HTTP_FIXTURE.t0;
const SECRET = "flaskish-test-secret";
const signer = new SessionCookieSerializer({ secret_keys: [SECRET], now: () => T0 });

function cookieSession(app: Flask): SecureCookieSessionInterface {
  const iface = new SecureCookieSessionInterface();
  iface.now = () => T0;
  app.session_interface = iface;
  return iface;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`SecureCookieSessionInterface against real Flask's answers (${flavour.label})`, () => {
    for (const scenario of HTTP_FIXTURE.scenarios) {
      if (scenario.name === "flash_semantics") continue; // spec/flash.spec.ts
      it(`${scenario.name}: same status, Vary, Set-Cookie and body as real Flask 3.1, request by request`, async () => {
        const { server, setClock } = mountScenario(flavour, scenario);
        for (const step of scenario.steps) await replayStep(server, scenario, step, setClock);
      });
    }
  });

  describe(`SecureCookieSessionInterface cookies read by real Flask (${flavour.label})`, () => {
    for (const minted of HTTP_FIXTURE.flaskish_minted) {
      it(`${minted.name}: our app mints, over HTTP, the cookie real Flask verified`, async () => {
        const c = HTTP_MINT_CASES.find((x) => x.name === minted.name);
        expect(c, "case still defined in mint_flaskish_http.ts").to.not.equal(undefined);
        expectSameSetCookie(await mintOverHttp(c!), minted.set_cookie);
      });

      it(`${minted.name}: real Flask found in it what our app finds, and answered ${minted.then} the same`, async () => {
        const app = buildSessionApp({ secret_key: minted.secret_key, fallbacks: minted.fallbacks, config: minted.config ?? {} });
        cookieSession(app).now = () => minted.now;
        const server = flavour.create().use(flaskish(app, { fallthrough: false, propagate_errors: false }));
        const name = (minted.config?.SESSION_COOKIE_NAME as string | undefined) ?? "session";
        const dump = await request(server).get("/dump").set("Cookie", `${name}=${minted.cookie}`);
        expect(Object.keys(minted.flask_dump as object)).to.not.have.length(0);
        expect(JSON.parse(dump.text)).to.deep.equal(minted.flask_dump);
        const then = await request(server).get(minted.then).set("Cookie", `${name}=${minted.cookie}`);
        if (minted.then.startsWith("/messages") || minted.then === "/dump") expect(JSON.parse(then.text)).to.deep.equal(JSON.parse(minted.flask_then_body));
        else expect(then.text).to.equal(minted.flask_then_body);
      });
    }
  });
}

describe("SecureCookieSessionInterface.open_session", () => {
  const app = buildSessionApp();
  const iface = cookieSession(app);
  const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(app, { fallthrough: false, propagate_errors: false }));

  const bad: [string, string][] = [
    ["a validly signed list (BadPayload)", signer.dumps([1, 2] as unknown as Record<string, unknown>)],
    ["validly signed bytes that are not JSON (BadPayload; Flask itself would answer 500)", badJsonCookie()],
    ["a compressed payload that does not inflate (signed, so only BadPayload can stop it)", `.${badJsonCookie()}`],
    ["percent-encoded junk", "%E2%98%83.%%%.x"],
    ["an empty value", ""],
    ["only dots", "...."],
  ];
  for (const [label, cookie] of bad) {
    it(`gives an empty session, not a 500, for ${label}`, async () => {
      const res = await request(server).get("/dump").set("Cookie", `session=${cookie}`);
      expect(res.status).to.equal(200);
      expect(JSON.parse(res.text)).to.deep.equal({});
      expect(res.headers["set-cookie"]).to.equal(undefined);
    });
  }

  function badJsonCookie(): string {
    // "not json", signed with the session signer's exact key, salt and derivation.
    const raw = new TimestampSigner(SECRET, { salt: "cookie-session", key_derivation: "hmac", digest_method: "sha1", now: () => T0 });
    return raw.sign(Buffer.from("not json").toString("base64url"));
  }

  it("verifies with SECRET_KEY_FALLBACKS and signs with the current key", async () => {
    const old = new SessionCookieSerializer({ secret_keys: ["old"], now: () => T0 }).dumps({ username: "olga" });
    const rotated = buildSessionApp({ secret_key: SECRET, fallbacks: ["old"] });
    cookieSession(rotated);
    const s = EXPRESS_FLAVOURS[0]!.create().use(flaskish(rotated));
    const res = await request(s).get("/touch").set("Cookie", `session=${old}`);
    const value = ((res.headers["set-cookie"] as unknown as string[])[0] as string).split(";")[0]!.slice("session=".length);
    expect(payloadText(value)).to.equal('{"username":"olga"}');
    expect(signer.loads(value)).to.deep.equal({ username: "olga" });
    expect(() => new SessionCookieSerializer({ secret_keys: ["old"] }).loads(value)).to.throw();
  });

  it("returns null without a secret key, so the app uses a NullSession", () => {
    const keyless = new Flask(import.meta.url);
    const ctx = keyless.test_request_context("/", { headers: { Cookie: "session=anything" } });
    try {
      expect(iface.open_session(keyless, ctx.request)).to.equal(null);
      expect(ctx.session).to.be.instanceOf(NullSession);
    } finally {
      ctx.pop();
    }
  });
});


describe("SecureCookieSessionInterface.save_session", () => {
  it("fails with a message that says to set app.secret_key when a session is written without one", async () => {
    const app = new Flask(import.meta.url);
    app.logger.setLevel("CRITICAL");
    app.route("/write", () => { session.username = "x"; return "never"; });
    app.route("/read", () => `${session.get("username", "nobody")} ${session instanceof NullSession}`);
    const errors: unknown[] = [];
    const server = EXPRESS_FLAVOURS[0]!.create().use(flaskish(app, { propagate_errors: true }))
      .use((err: unknown, _req: unknown, res: { status: (n: number) => { end: () => void } }, _next: unknown) => { errors.push(err); res.status(500).end(); });
    const read = await request(server).get("/read");
    expect(read.text).to.equal("nobody true");
    const write = await request(server).get("/write");
    expect(write.status).to.equal(500);
    expect(String((errors[0] as Error).message)).to.match(/no secret key was set\. Set app\.secret_key/);
    expect(() => new SecureCookieSessionInterface().save_session(app, modifiedSession(), new Response("x"))).to.throw(/Set app\.secret_key/);
  });

  it("sends the too-large-cookie warning to app.logger.warning and still sets the cookie", async () => {
    const app = buildSessionApp();
    cookieSession(app);
    app.config.MAX_COOKIE_SIZE = 200;
    const warnings: string[] = [];
    app.logger.warning = (msg: unknown) => { warnings.push(String(msg)); };
    const res = await request(EXPRESS_FLAVOURS[0]!.create().use(flaskish(app))).post("/login").type("form").send({ username: randomBytes(300).toString("hex") }); // incompressible
    expect(res.headers["set-cookie"]).to.have.length(1);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^The 'session' cookie is too large: the value was \d+ bytes but the header required \d+ extra bytes/);
  });

  it("adds Cookie to an existing Vary header instead of replacing it", () => {
    const app = buildSessionApp();
    const iface = cookieSession(app);
    const s = modifiedSession();
    const response = new Response("x", { headers: { Vary: "Accept-Encoding" } });
    iface.save_session(app, s, response);
    expect(response.headers.get("Vary")).to.equal("Accept-Encoding, Cookie");
    iface.save_session(app, s, response);
    expect(response.headers.getlist("Vary")).to.deep.equal(["Accept-Encoding, Cookie"]);
  });

  it("takes the expiry of permanent sessions from its clock (now + PERMANENT_SESSION_LIFETIME)", () => {
    const app = buildSessionApp({ config: { PERMANENT_SESSION_LIFETIME: 90 } });
    const iface = cookieSession(app);
    const s = modifiedSession();
    s.permanent = true;
    const response = new Response("x");
    iface.save_session(app, s, response);
    expect(response.headers.get("Set-Cookie")).to.match(/; Expires=Tue, 14 Nov 2023 22:14:50 GMT; HttpOnly; Path=\//);
  });

  it("uses its salt: a different salt makes cookies the other app rejects", () => {
    const app = buildSessionApp();
    const salted = cookieSession(app);
    salted.salt = "other-salt";
    const response = new Response("x");
    salted.save_session(app, modifiedSession(), response);
    const value = (response.headers.get("Set-Cookie") as string).split(";")[0]!.slice("session=".length);
    expect(() => signer.loads(value)).to.throw();
    expect(new SessionCookieSerializer({ secret_keys: [SECRET], salt: "other-salt", now: () => T0 }).loads(value)).to.deep.equal({ username: "u" });
  });
});

function modifiedSession(): Session {
  const s = new Session();
  s.username = "u";
  return s;
}
