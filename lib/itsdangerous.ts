/**
 * itsdangerous 2.x, the parts Flask's cookie session uses: `TimestampSigner` and
 * `URLSafeTimedSerializer`, byte-compatible with the Python library.
 *
 * Owns: key derivation, HMAC signatures (checked in constant time against every key, newest
 * first), the base64url timestamp, max_age expiry against an injectable clock, and the
 * URL-safe payload (compact JSON, zlib-compressed with a leading "." when that is shorter).
 * Must not know about sessions, cookie headers or tags (the session serializer composes those).
 *
 * Wire format: `payload "." base64url(big-endian timestamp) "." base64url(HMAC)`.
 */

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { python_json_dumps, python_json_loads } from "./python-json.js";

/** Base of every itsdangerous error (Python's `BadData`). */
export class BadData extends Error {
  override name = "BadData";
}

/** The signature does not match any key, or the value is not signed at all. */
export class BadSignature extends BadData {
  override name = "BadSignature";
  /** The part that failed verification, for inspection only: never trust it. */
  readonly payload: string | null;
  constructor(message: string, payload: string | null = null, options?: ErrorOptions) {
    super(message, options);
    this.payload = payload;
  }
}

/** A timestamped signature is invalid or its timestamp is malformed. */
export class BadTimeSignature extends BadSignature {
  override name = "BadTimeSignature";
  /** When the value was signed, if the timestamp could be read. */
  readonly date_signed: Date | null;
  constructor(message: string, payload: string | null = null, date_signed: Date | null = null) {
    super(message, payload);
    this.date_signed = date_signed;
  }
}

/** The signature is valid but older than `max_age` seconds (or dated in the future). */
export class SignatureExpired extends BadTimeSignature {
  override name = "SignatureExpired";
}

/**
 * The signature was valid but the payload could not be decoded (base64, zlib, UTF-8 or the
 * serializer failed); the original error is `cause`. Not a {@link BadSignature}, as in Python.
 */
export class BadPayload extends BadData {
  override name = "BadPayload";
}

/** A secret key: text is UTF-8 encoded, as itsdangerous's `want_bytes` does. */
export type SecretKey = string | Uint8Array;

/** How the signing key is derived from a secret key and the salt. */
export type KeyDerivation = "hmac" | "django-concat" | "concat" | "none";

export interface SignerOptions {
  /** Namespaces signatures; default "itsdangerous.Signer" (Flask sessions use "cookie-session"). */
  salt?: SecretKey;
  /** Separator between parts; default ".". Must not be a base64url character. */
  sep?: string;
  /** Default "django-concat", itsdangerous's default (Flask sessions use "hmac"). */
  key_derivation?: KeyDerivation;
  /** A `node:crypto` hash name; default "sha1", as itsdangerous and Flask use. */
  digest_method?: string;
  /** The clock, in seconds since the epoch; default `Date.now() / 1000`. Pin it in tests. */
  now?: () => number;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Unpadded base64url, as itsdangerous's `base64_encode`. */
export function base64_encode(data: SecretKey): string {
  return toBytes(data).toString("base64url");
}

/** Decode unpadded (or padded) base64url; throws on any other character. */
export function base64_decode(text: string): Buffer {
  const stripped = text.replace(/={0,2}$/, "");
  if (!BASE64URL.test(stripped) || stripped.length % 4 === 1) {
    throw new BadData("Invalid base64-encoded data");
  }
  return Buffer.from(stripped, "base64url");
}

function toBytes(value: SecretKey): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
}

/**
 * Signs values with a timestamp and verifies them against a list of keys (itsdangerous's
 * `TimestampSigner`). Keys are oldest first: the last one signs, all of them verify.
 *
 * @example
 * const signer = new TimestampSigner(["old-key", "new-key"], { salt: "cookie-session", key_derivation: "hmac" });
 * const signed = signer.sign("hello");       // "hello.ZVPxAA.…"
 * signer.unsign(signed, 3600);               // "hello", or throws BadSignature/SignatureExpired
 */
export class TimestampSigner {
  readonly secret_keys: readonly Buffer[];
  readonly salt: Buffer;
  readonly sep: string;
  readonly key_derivation: KeyDerivation;
  readonly digest_method: string;
  #now: () => number;
  #derivedNewestFirst: Buffer[];

  constructor(secret_key: SecretKey | readonly SecretKey[], options: SignerOptions = {}) {
    const keys = typeof secret_key === "string" || secret_key instanceof Uint8Array ? [secret_key] : secret_key;
    if (keys.length === 0) throw new TypeError("TimestampSigner needs at least one secret key to sign with.");
    this.secret_keys = keys.map(toBytes);
    this.salt = toBytes(options.salt ?? "itsdangerous.Signer");
    this.sep = options.sep ?? ".";
    if (this.sep === "" || /[A-Za-z0-9_=-]/.test(this.sep)) {
      throw new TypeError(`The separator ${JSON.stringify(this.sep)} may appear in a signature; use a character outside A-Za-z0-9-_=.`);
    }
    this.key_derivation = options.key_derivation ?? "django-concat";
    this.digest_method = options.digest_method ?? "sha1";
    this.#now = options.now ?? (() => Date.now() / 1000);
    this.#derivedNewestFirst = [...this.secret_keys].reverse().map((k) => this.derive_key(k));
  }

  /** Derive the signing key from a secret key (default: the newest) and the salt. */
  derive_key(secret_key: SecretKey = this.secret_keys[this.secret_keys.length - 1] as Buffer): Buffer {
    const secret = toBytes(secret_key);
    switch (this.key_derivation) {
      case "hmac":
        return createHmac(this.digest_method, secret).update(this.salt).digest();
      case "concat":
        return createHash(this.digest_method).update(this.salt).update(secret).digest();
      case "django-concat":
        return createHash(this.digest_method).update(this.salt).update("signer").update(secret).digest();
      case "none":
        return secret;
      default:
        throw new TypeError(`Unknown key derivation ${JSON.stringify(this.key_derivation)}; use "hmac", "django-concat", "concat" or "none".`);
    }
  }

  /** The current time as whole seconds since the epoch, from the injected clock. */
  get_timestamp(): number {
    return Math.floor(this.#now());
  }

  /** The base64url HMAC of `value` under the newest key. */
  get_signature(value: SecretKey): string {
    return base64_encode(this.#mac(this.#derivedNewestFirst[0] as Buffer, toBytes(value)));
  }

  /** Append the current timestamp and a signature: `value.timestamp.signature`. */
  sign(value: string): string {
    const stamped = `${value}${this.sep}${base64_encode(intToBytes(this.get_timestamp()))}`;
    return `${stamped}${this.sep}${this.get_signature(stamped)}`;
  }

  /** Verify `sig` against `value` with every key, newest first, in constant time. */
  verify_signature(value: SecretKey, sig: string): boolean {
    let given: Buffer;
    try {
      given = base64_decode(sig);
    } catch {
      return false;
    }
    const data = toBytes(value);
    let ok = false;
    for (const key of this.#derivedNewestFirst) {
      const expected = this.#mac(key, data);
      // Keep checking the remaining keys so timing does not reveal which key matched.
      if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
    }
    return ok;
  }

  /**
   * Verify a signed value and return the original value. With `max_age` (seconds), a value
   * signed longer ago, or dated in the future, throws {@link SignatureExpired}.
   */
  unsign(signed_value: string, max_age?: number): string {
    return this.unsign_with_timestamp(signed_value, max_age).value;
  }

  /** Like {@link unsign}, also returning when the value was signed. */
  unsign_with_timestamp(signed_value: string, max_age?: number): { value: string; timestamp: Date } {
    const sep = this.sep;
    const sigAt = signed_value.lastIndexOf(sep);
    if (sigAt < 0) throw new BadSignature(`No ${JSON.stringify(sep)} found in value`);
    const stamped = signed_value.slice(0, sigAt);
    const sig = signed_value.slice(sigAt + sep.length);
    const sigOk = this.verify_signature(stamped, sig);
    const tsAt = stamped.lastIndexOf(sep);
    if (tsAt < 0) {
      if (!sigOk) throw new BadSignature(`Signature ${JSON.stringify(sig)} does not match`, stamped);
      throw new BadTimeSignature("timestamp missing", stamped);
    }
    const value = stamped.slice(0, tsAt);
    const ts = readTimestamp(stamped.slice(tsAt + sep.length));
    if (!sigOk) {
      const date = ts === null ? null : new Date(ts * 1000);
      throw new BadTimeSignature(`Signature ${JSON.stringify(sig)} does not match`, value, date);
    }
    if (ts === null) throw new BadTimeSignature("Malformed timestamp", value);
    const date_signed = new Date(ts * 1000);
    if (max_age !== undefined) {
      const age = this.get_timestamp() - ts;
      if (age > max_age) throw new SignatureExpired(`Signature age ${age} > ${max_age} seconds`, value, date_signed);
      if (age < 0) throw new SignatureExpired(`Signature age ${age} < 0 seconds`, value, date_signed);
    }
    return { value, timestamp: date_signed };
  }

  /** True when `signed_value` carries a valid, unexpired signature. */
  validate(signed_value: string, max_age?: number): boolean {
    try {
      this.unsign(signed_value, max_age);
      return true;
    } catch (err) {
      if (err instanceof BadSignature) return false;
      throw err;
    }
  }

  #mac(key: Buffer, data: Buffer): Buffer {
    return createHmac(this.digest_method, key).update(data).digest();
  }
}

// itsdangerous packs the timestamp as a big-endian uint64 with leading zero bytes stripped.
function intToBytes(n: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(n));
  let i = 0;
  while (i < 8 && buf[i] === 0) i++;
  return buf.subarray(i);
}

function readTimestamp(text: string): number | null {
  let bytes: Buffer;
  try {
    bytes = base64_decode(text);
  } catch {
    return null;
  }
  if (bytes.length > 8) return null;
  const padded = Buffer.alloc(8);
  bytes.copy(padded, 8 - bytes.length);
  return Number(padded.readBigUInt64BE());
}

/** What turns a value into text and back (Python's serializer protocol: `dumps`/`loads`). */
export interface TextSerializer {
  dumps(value: unknown): string;
  loads(text: string): unknown;
}

/** itsdangerous's default `_CompactJSON`: compact separators, UTF-8, insertion order. */
export const compact_json: TextSerializer = {
  dumps: (value) => python_json_dumps(value, { sort_keys: false, ensure_ascii: false }),
  loads: (text) => python_json_loads(text),
};

export interface URLSafeTimedSerializerOptions {
  /** Default "itsdangerous". */
  salt?: SecretKey;
  /** Default {@link compact_json}. */
  serializer?: TextSerializer;
  /** Passed to the {@link TimestampSigner} (Flask: key_derivation "hmac", digest_method "sha1"). */
  signer_kwargs?: Omit<SignerOptions, "salt" | "now">;
  /** The clock, in seconds since the epoch. Pin it in tests. */
  now?: () => number;
}

/**
 * Serialize, compress if worthwhile, base64url and sign a value with a timestamp
 * (itsdangerous's `URLSafeTimedSerializer`).
 *
 * @example
 * const s = new URLSafeTimedSerializer("secret", { salt: "activate" });
 * const token = s.dumps({ user: 42 });
 * s.loads(token, 86400); // { user: 42 }, or throws BadSignature / SignatureExpired
 */
export class URLSafeTimedSerializer {
  readonly serializer: TextSerializer;
  readonly signer: TimestampSigner;

  constructor(secret_key: SecretKey | readonly SecretKey[], options: URLSafeTimedSerializerOptions = {}) {
    this.serializer = options.serializer ?? compact_json;
    this.signer = new TimestampSigner(secret_key, {
      ...options.signer_kwargs,
      salt: options.salt ?? "itsdangerous",
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  /** Serialize `obj` and sign it. */
  dumps(obj: unknown): string {
    return this.signer.sign(this.dump_payload(obj));
  }

  /** Verify `s` (and its age, with `max_age` seconds) and deserialize the payload. */
  loads(s: string, max_age?: number): unknown {
    return this.load_payload(this.signer.unsign(s, max_age));
  }

  /** Text -> bytes -> zlib when it saves more than a byte (then a leading ".") -> base64url. */
  dump_payload(obj: unknown): string {
    const json = Buffer.from(this.serializer.dumps(obj), "utf8");
    const compressed = deflateSync(json);
    return compressed.length < json.length - 1 ? `.${base64_encode(compressed)}` : base64_encode(json);
  }

  /** Reverse {@link dump_payload}; every failure is a {@link BadPayload} with the `cause`. */
  load_payload(payload: string): unknown {
    const compressed = payload.startsWith(".");
    let bytes: Buffer;
    try {
      bytes = base64_decode(compressed ? payload.slice(1) : payload);
    } catch (err) {
      throw new BadPayload("Could not base64 decode the payload", { cause: err });
    }
    if (compressed) {
      try {
        bytes = inflateSync(bytes);
      } catch (err) {
        throw new BadPayload("Could not zlib decompress the payload before decoding it", { cause: err });
      }
    }
    try {
      return this.serializer.loads(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
    } catch (err) {
      throw new BadPayload("Could not load the payload: unserializing the data failed", { cause: err });
    }
  }
}
