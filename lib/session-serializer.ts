/**
 * The signed-cookie codec of Flask's `SecureCookieSessionInterface`: session dict <-> cookie
 * value, byte-compatible with Flask 3.1 in both directions.
 *
 * Owns: Flask's serializer configuration (salt "cookie-session", HMAC key derivation, SHA-1,
 * tagged JSON, key rotation with SECRET_KEY_FALLBACKS). Must not read or write HTTP headers,
 * decide when a cookie is set, or turn errors into empty sessions: the session interface does.
 */

import { BadPayload, URLSafeTimedSerializer, type SecretKey } from "./itsdangerous.js";
import { TaggedJSONSerializer } from "./tagged-json.js";
import { isPlainObject } from "./python-json.js";

export { BadData, BadSignature, BadTimeSignature, SignatureExpired, BadPayload } from "./itsdangerous.js";

/** The tagged serializer Flask's cookie sessions use (Flask's `session_json_serializer`). */
export const session_json_serializer = new TaggedJSONSerializer();

export interface SessionCookieSerializerOptions {
  /**
   * Secret keys, oldest first: `[...SECRET_KEY_FALLBACKS, SECRET_KEY]`, the order Flask passes
   * them. The last signs; every one verifies.
   */
  secret_keys: readonly SecretKey[];
  /** Flask's `SecureCookieSessionInterface.salt`. */
  salt?: SecretKey;
  /** The clock in seconds since the epoch (default: `Date.now() / 1000`). Pin it in tests. */
  now?: () => number;
  /** Replace the tagged serializer, e.g. one with extra tags registered. */
  serializer?: TaggedJSONSerializer;
}

/**
 * Turns a session into the cookie value Flask would send, and a Flask session cookie back into
 * the session. Keys are sorted on the wire, so the same data gives the same cookie as Flask
 * for the same timestamp and key.
 *
 * @example
 * const codec = new SessionCookieSerializer({ secret_keys: [app.config.SECRET_KEY] });
 * const cookie = codec.dumps({ username: "alice", _flashes: [tuple("message", "Hi")] });
 * codec.loads(cookie, 31 * 24 * 3600); // the same session, or throws BadSignature
 */
export class SessionCookieSerializer {
  #serializer: URLSafeTimedSerializer;

  constructor(opts: SessionCookieSerializerOptions) {
    if (opts.secret_keys.length === 0 || opts.secret_keys.some((k) => k.length === 0)) {
      throw new TypeError(
        "The session is unavailable because no secret key was set. Set app.secret_key " +
          "(and only non-empty SECRET_KEY_FALLBACKS) to a long random value.",
      );
    }
    this.#serializer = new URLSafeTimedSerializer(opts.secret_keys, {
      salt: opts.salt ?? "cookie-session",
      serializer: opts.serializer ?? session_json_serializer,
      signer_kwargs: { key_derivation: "hmac", digest_method: "sha1" },
      ...(opts.now === undefined ? {} : { now: opts.now }),
    });
  }

  /** Sign `session` with the newest key and the current timestamp; returns the cookie value. */
  dumps(session: Record<string, unknown>): string {
    return this.#serializer.dumps(session);
  }

  /**
   * Verify and decode a cookie value. Throws {@link BadSignature} (tampered, truncated, unknown
   * key), {@link SignatureExpired} (older than `max_age` seconds, or from the future) or
   * {@link BadPayload} (validly signed but undecodable).
   */
  loads(cookie: string, max_age?: number): Record<string, unknown> {
    const data = this.#serializer.loads(cookie, max_age);
    if (!isPlainObject(data)) {
      // Flask would build its session from a non-dict and fail later; refuse it here instead.
      const kind = Array.isArray(data) ? "list" : data === null ? "null" : typeof data;
      throw new BadPayload(`The session cookie holds a ${kind}, not a dict; it was not written by a Flask session.`);
    }
    return data;
  }
}
