// Expected signatures, timestamps and tokens came from real itsdangerous 2.2 (see
// spec/fixtures/gen/flask_session_vectors.py, "itsdangerous" section). Every clock is pinned with
// the `now` option, so nothing here depends on the date the suite runs.
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { expect } from "chai";
import {
  BadPayload, BadSignature, BadTimeSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer,
  base64_decode, base64_encode, type KeyDerivation,
} from "../lib/itsdangerous.js";

interface Vectors {
  itsdangerous: {
    signed_at: number;
    signers: { key_derivation: KeyDerivation | null; digest_method: string | null; secret_keys: string[]; salt: string | null; value: string; signed: string }[];
    timestamps: { timestamp: number; encoded: string }[];
    url_safe_timed: { value: unknown; salt: string; secret_keys: string[]; dumped: string }[];
  };
}
const V = (JSON.parse(readFileSync(new URL("./fixtures/flask-session-vectors.json", import.meta.url), "utf8")) as Vectors).itsdangerous;
const T0 = V.signed_at; // pinned "now" for every signer below
const at = (t: number) => () => t;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to throw");
}

describe("base64_encode / base64_decode", () => {
  it("round-trips without padding, URL-safe alphabet", () => {
    const data = Buffer.from([0xfb, 0xff, 0x00, 0x01]);
    expect(base64_encode(data)).to.equal("-_8AAQ");
    expect(base64_decode("-_8AAQ")).to.deep.equal(data);
    expect(base64_decode("-_8AAQ==")).to.deep.equal(data);
  });
  it("rejects characters outside base64url and impossible lengths", () => {
    expect(() => base64_decode("ab+c")).to.throw(/Invalid base64/);
    expect(() => base64_decode("abcde")).to.throw(/Invalid base64/);
  });
});

describe("TimestampSigner", () => {
  describe("sign", () => {
    for (const v of V.signers) {
      it(`matches itsdangerous for key_derivation=${v.key_derivation ?? "default"} digest=${v.digest_method ?? "default"}`, () => {
        const signer = new TimestampSigner(v.secret_keys, {
          ...(v.salt === null ? {} : { salt: v.salt }),
          ...(v.key_derivation === null ? {} : { key_derivation: v.key_derivation }),
          ...(v.digest_method === null ? {} : { digest_method: v.digest_method }),
          now: at(T0),
        });
        expect(signer.sign(v.value)).to.equal(v.signed);
        expect(signer.unsign(v.signed)).to.equal(v.value);
      });
    }

    it("encodes timestamps as itsdangerous does (big-endian, leading zero bytes stripped)", () => {
      for (const { timestamp, encoded } of V.timestamps) {
        const signed = new TimestampSigner("secret", { now: at(timestamp) }).sign("v");
        expect(signed.split(".")[1], `timestamp ${timestamp}`).to.equal(encoded);
        expect(new TimestampSigner("secret", { now: at(timestamp) }).unsign_with_timestamp(signed).timestamp.getTime()).to.equal(timestamp * 1000);
      }
    });

    it("floors a fractional clock to whole seconds", () => {
      const a = new TimestampSigner("k", { now: at(T0 + 0.999) }).sign("x");
      expect(a).to.equal(new TimestampSigner("k", { now: at(T0) }).sign("x"));
    });
  });

  describe("unsign", () => {
    const opts = { salt: "s", key_derivation: "hmac" as const, now: at(T0) };

    it("verifies with every key, the last one signing", () => {
      const signed = new TimestampSigner(["old", "new"], opts).sign("payload");
      expect(signed).to.equal(new TimestampSigner("new", opts).sign("payload"));
      const oldSigned = new TimestampSigner("old", opts).sign("payload");
      expect(new TimestampSigner(["old", "new"], opts).unsign(oldSigned)).to.equal("payload");
      expect(() => new TimestampSigner("new", opts).unsign(oldSigned)).to.throw(BadTimeSignature);
    });

    it("throws BadSignature (not the timed kind) when there is no separator at all", () => {
      const err = thrown(() => new TimestampSigner("k", opts).unsign("nodots"));
      expect(err).to.be.instanceOf(BadSignature).and.not.instanceOf(BadTimeSignature);
    });

    it("throws BadTimeSignature with the payload and date when the signature does not match", () => {
      const signed = new TimestampSigner("k", opts).sign("payload");
      const err = thrown(() => new TimestampSigner("other", opts).unsign(signed)) as BadTimeSignature;
      expect(err).to.be.instanceOf(BadTimeSignature).and.not.instanceOf(SignatureExpired);
      expect(err.payload).to.equal("payload");
      expect(err.date_signed?.getTime()).to.equal(T0 * 1000);
    });

    it("rejects signatures of the wrong length without throwing from the comparison", () => {
      const signed = new TimestampSigner("k", opts).sign("payload");
      for (const bad of [signed.slice(0, -1), `${signed}A`, `${signed.slice(0, signed.lastIndexOf(".") + 1)}`]) {
        expect(() => new TimestampSigner("k", opts).unsign(bad)).to.throw(BadTimeSignature, /does not match/);
      }
    });

    it("reports a validly signed value without a timestamp, or with a malformed one", () => {
      const signer = new TimestampSigner("k", opts);
      expect(() => signer.unsign(`abc.${signer.get_signature("abc")}`)).to.throw(BadTimeSignature, "timestamp missing");
      expect(() => signer.unsign(`abc.!!.${signer.get_signature("abc.!!")}`)).to.throw(BadTimeSignature, "Malformed timestamp");
      const nineBytes = base64_encode(Buffer.alloc(9, 1));
      expect(() => signer.unsign(`abc.${nineBytes}.${signer.get_signature(`abc.${nineBytes}`)}`)).to.throw(BadTimeSignature, "Malformed timestamp");
    });

    it("accepts an age of exactly max_age and rejects one second more (SignatureExpired)", () => {
      const signed = new TimestampSigner("k", opts).sign("payload");
      expect(new TimestampSigner("k", { ...opts, now: at(T0 + 60) }).unsign(signed, 60)).to.equal("payload");
      const err = thrown(() => new TimestampSigner("k", { ...opts, now: at(T0 + 61) }).unsign(signed, 60)) as SignatureExpired;
      expect(err).to.be.instanceOf(SignatureExpired);
      expect(err.message).to.equal("Signature age 61 > 60 seconds");
      expect(err.date_signed?.getTime()).to.equal(T0 * 1000);
    });

    it("rejects a timestamp from the future when max_age is given, ignores age without it", () => {
      const signed = new TimestampSigner("k", opts).sign("payload");
      const early = new TimestampSigner("k", { ...opts, now: at(T0 - 1) });
      expect(() => early.unsign(signed, 60)).to.throw(SignatureExpired, "Signature age -1 < 0 seconds");
      expect(early.unsign(signed)).to.equal("payload");
      expect(new TimestampSigner("k", { ...opts, now: at(T0 + 10 ** 9) }).unsign(signed)).to.equal("payload");
    });
  });

  describe("validate", () => {
    it("is true for a good signature and false for a bad or expired one", () => {
      const signer = new TimestampSigner("k", { now: at(T0) });
      const signed = signer.sign("x");
      expect(signer.validate(signed)).to.equal(true);
      expect(signer.validate(`${signed}x`)).to.equal(false);
      expect(new TimestampSigner("k", { now: at(T0 + 5) }).validate(signed, 1)).to.equal(false);
    });
  });

  describe("constructor", () => {
    it("refuses separators that can appear in a signature, and an empty key list", () => {
      expect(() => new TimestampSigner("k", { sep: "-" })).to.throw(TypeError, /separator/);
      expect(() => new TimestampSigner([])).to.throw(TypeError, /at least one secret key/);
    });
  });
});

describe("URLSafeTimedSerializer", () => {
  describe("dumps", () => {
    for (const v of V.url_safe_timed) {
      it(`produces itsdangerous's token for ${JSON.stringify(v.value).slice(0, 30)}`, () => {
        const s = new URLSafeTimedSerializer(v.secret_keys, { salt: v.salt, now: at(T0) });
        const ours = s.dumps(v.value);
        if (v.dumped.startsWith(".")) {
          // zlib streams differ between Node's bundled zlib and CPython's; the JSON inside must not.
          expect(ours.startsWith(".")).to.equal(true);
          const inner = (tok: string) => inflateSync(base64_decode(tok.split(".")[1] as string)).toString("utf8");
          expect(inner(ours)).to.equal(inner(v.dumped));
          expect(ours.split(".")[2]).to.equal(v.dumped.split(".")[2]);
        } else {
          expect(ours).to.equal(v.dumped);
        }
        expect(s.loads(v.dumped)).to.deep.equal(v.value);
      });
    }
  });

  describe("loads", () => {
    const s = new URLSafeTimedSerializer("secret", { now: at(T0) });

    it("throws BadPayload (not BadSignature) for a validly signed payload that does not decode", () => {
      for (const payload of ["!!!", ".AAAA", base64_encode("{not json"), base64_encode(Buffer.from([0xff, 0xfe]))]) {
        const err = thrown(() => s.loads(s.signer.sign(payload)));
        expect(err, payload).to.be.instanceOf(BadPayload).and.not.instanceOf(BadSignature);
        expect(err.cause, payload).to.be.instanceOf(Error);
      }
    });

    it("compresses only when that saves more than one byte", () => {
      expect(s.dump_payload("short")).to.equal(base64_encode('"short"'));
      expect(s.dump_payload("a".repeat(100)).startsWith(".")).to.equal(true);
      expect(s.load_payload(s.dump_payload("a".repeat(100)))).to.equal("a".repeat(100));
    });
  });
});
