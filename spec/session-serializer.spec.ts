// Cookies and decoded sessions came from a real Flask 3.1 app driven through its test client with
// itsdangerous's clock pinned (spec/fixtures/gen/flask_session_vectors.py). The "flaskish_minted"
// cookies were minted by this library (mint_flaskish_cookies.ts) and decoded/re-saved by real
// Flask. Every codec below gets an explicit `now` (the vector's pinned clock), so the suite does
// not depend on the date it runs: no time bomb.
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { expect } from "chai";
import { base64_decode } from "../lib/itsdangerous.js";
import {
  BadPayload, BadSignature, BadTimeSignature, SessionCookieSerializer, SignatureExpired,
} from "../lib/session-serializer.js";
import { tuple } from "../lib/tagged-json.js";
import { fromTyped, jsView, toTyped, type Typed } from "./fixtures/gen/typed-values.js";

interface Accepted { name: string; secret_keys: string[]; signed_at: number; now: number; cookie: string; decoded: Typed; json_identical: boolean; minted_with?: string[] }
interface Rejected { name: string; secret_keys: string[]; now: number; cookie: string; decoded: Typed; itsdangerous_error: string }
interface Minted { name: string; secret_keys: string[]; signed_at: number; session: Typed; cookie: string; flask_decoded: Typed; flask_resaved: string }
const V = JSON.parse(readFileSync(new URL("./fixtures/flask-session-vectors.json", import.meta.url), "utf8")) as {
  max_age: number; accepted: Accepted[]; rejected: Rejected[]; flaskish_minted: Minted[];
};

const codec = (secret_keys: string[], now: number) => new SessionCookieSerializer({ secret_keys, now: () => now });

/** The JSON text inside a cookie value (inflated when it starts with "."). */
function payloadText(cookie: string): string {
  const compressed = cookie.startsWith(".");
  const parts = (compressed ? cookie.slice(1) : cookie).split(".");
  const raw = base64_decode(parts[0] as string);
  return (compressed ? inflateSync(raw) : raw).toString("utf8");
}

/** Same JSON payload, same compression choice, same timestamp; the signature follows from those. */
function expectSameCookie(ours: string, theirs: string): void {
  expect(payloadText(ours)).to.equal(payloadText(theirs));
  expect(ours.startsWith(".")).to.equal(theirs.startsWith("."));
  if (!theirs.startsWith(".")) {
    expect(ours).to.equal(theirs);
  } else {
    // Node bundles Chromium's zlib, whose deflate stream differs from CPython's zlib for the
    // same input; both inflate to the same bytes, and Flask accepts ours (flaskish_minted).
    expect(ours.split(".").at(-2)).to.equal(theirs.split(".").at(-2));
  }
}

describe("SessionCookieSerializer.loads", () => {
  for (const v of V.accepted) {
    it(`decodes Flask's "${v.name}" cookie to what Flask decoded`, () => {
      const data = codec(v.secret_keys, v.now).loads(v.cookie, V.max_age);
      expect(toTyped(data)).to.deep.equal(jsView(v.decoded));
    });
  }

  for (const v of V.rejected) {
    it(`rejects "${v.name}" with ${v.itsdangerous_error}, as Flask does (Flask: empty session)`, () => {
      expect(v.decoded).to.deep.equal({});
      let err: unknown;
      try {
        codec(v.secret_keys, v.now).loads(v.cookie, V.max_age);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(BadSignature);
      expect((err as Error).name).to.equal(v.itsdangerous_error);
    });
  }

  it("checks age only when max_age is given", () => {
    const simple = V.accepted.find((v) => v.name === "simple") as Accepted;
    const later = codec(simple.secret_keys, simple.signed_at + V.max_age + 1);
    expect(() => later.loads(simple.cookie, V.max_age)).to.throw(SignatureExpired);
    expect(later.loads(simple.cookie)).to.deep.equal({ username: "alice" });
  });

  it("refuses a validly signed payload that is not a dict with BadPayload", () => {
    const c = codec(["k"], 1_700_000_000);
    const notDict = c.dumps([1, 2] as unknown as Record<string, unknown>);
    expect(() => c.loads(notDict)).to.throw(BadPayload, /holds a list, not a dict/);
  });
});

describe("SessionCookieSerializer.dumps", () => {
  for (const v of V.accepted.filter((x) => x.json_identical)) {
    it(`reproduces Flask's "${v.name}" cookie from the same session and pinned timestamp`, () => {
      const session = fromTyped(v.decoded) as Record<string, unknown>;
      expectSameCookie(codec(v.minted_with ?? v.secret_keys, v.signed_at).dumps(session), v.cookie);
    });
  }

  it("writes a whole float as an int, the one value Flask writes differently (documented loss)", () => {
    const v = V.accepted.find((x) => x.name === "whole_float") as Accepted;
    expect(payloadText(v.cookie)).to.equal('{"huge":1.5e+16,"ratio":1.0}');
    const c = codec(v.secret_keys, v.signed_at);
    const session = c.loads(v.cookie);
    expect(session).to.deep.equal({ huge: 1.5e16, ratio: 1 });
    expect(payloadText(c.dumps(session))).to.equal('{"huge":15000000000000000,"ratio":1}');
  });

  it("gives the same cookie whatever the insertion order (Flask sorts keys)", () => {
    const c = codec(["k"], 1_700_000_000);
    expect(c.dumps({ b: 1, a: tuple(1, 2) })).to.equal(c.dumps({ a: tuple(1, 2), b: 1 }));
  });

  it("signs with the newest (last) key; older keys still verify", () => {
    const rotated = codec(["old", "new"], 1_700_000_000);
    const cookie = rotated.dumps({ u: 1 });
    expect(codec(["new"], 1_700_000_000).loads(cookie)).to.deep.equal({ u: 1 });
    expect(() => codec(["old"], 1_700_000_000).loads(cookie)).to.throw(BadTimeSignature);
    const fromOld = codec(["old"], 1_700_000_000).dumps({ u: 2 });
    expect(rotated.loads(fromOld)).to.deep.equal({ u: 2 });
  });

  it("needs a non-empty secret key", () => {
    expect(() => new SessionCookieSerializer({ secret_keys: [] })).to.throw(TypeError, /secret key/);
    expect(() => new SessionCookieSerializer({ secret_keys: [""] })).to.throw(TypeError, /secret key/);
  });
});

describe("SessionCookieSerializer (cookies minted by flaskish, accepted by real Flask)", () => {
  it("has minted cases in the fixture", () => {
    expect(V.flaskish_minted.length).to.be.greaterThan(5);
  });

  for (const m of V.flaskish_minted) {
    describe(m.name, () => {
      it("still mints the exact cookie Flask was shown (fixture is not stale)", () => {
        const session = fromTyped(m.session) as Record<string, unknown>;
        expect(codec(m.secret_keys, m.signed_at).dumps(session)).to.equal(m.cookie);
      });
      it("was decoded by real Flask to the same values", () => {
        expect(m.flask_decoded).to.deep.equal(m.session);
      });
      it("is what Flask itself writes when it re-saves that session", () => {
        expectSameCookie(m.cookie, m.flask_resaved);
      });
      it("round-trips through loads", () => {
        expect(toTyped(codec(m.secret_keys, m.signed_at).loads(m.cookie, V.max_age))).to.deep.equal(jsView(m.session));
      });
    });
  }
});
