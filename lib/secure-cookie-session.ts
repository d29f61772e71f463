// SecureCookieSessionInterface: Flask's default signed-cookie sessions. Decides when the session
// cookie is read, written, refreshed or deleted, exactly as flask/sessions.py does; the cookie
// value itself is the session-serializer's job, the Set-Cookie text is cookies.ts's.

import type { Flask } from "./app.js";
import type { SecretKey } from "./itsdangerous.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";
import { SessionCookieSerializer, session_json_serializer } from "./session-serializer.js";
import {
  NO_SECRET_KEY,
  RuntimeError,
  Session,
  SessionInterface,
  addVaryCookie,
  permanentSessionLifetime,
  type SessionMixin,
} from "./session-interface.js";
import type { TaggedJSONSerializer } from "./tagged-json.js";

/**
 * The session of signed-cookie sessions (Flask's SecureCookieSession): `new` is always false.
 *
 * @example
 * app.test_request_context().run(() => session instanceof SecureCookieSession);   // true with a secret key set
 */
export class SecureCookieSession extends Session {}

/**
 * Stores the whole session in a cookie signed with `app.secret_key`, in Flask's wire format, so
 * a Flask app and a flaskish app with the same key read each other's sessions. Key rotation:
 * put old keys in `SECRET_KEY_FALLBACKS`; they verify, the current key signs.
 *
 * @example
 * app.secret_key = process.env.SECRET_KEY!;
 * app.config.SECRET_KEY_FALLBACKS = [process.env.OLD_SECRET_KEY!];
 * app.session_interface = new SecureCookieSessionInterface(); // the default, made explicit
 */
export class SecureCookieSessionInterface extends SessionInterface {
  /** Salt applied on top of the secret key (Flask's `salt`). */
  salt: SecretKey = "cookie-session";
  /** The payload serializer: Flask's tagged JSON. */
  serializer: TaggedJSONSerializer = session_json_serializer;
  session_class: new (initial?: Record<string, unknown>) => Session = SecureCookieSession;

  /**
   * The signer for the app's keys, or null when no secret key is set (Flask's name).
   *
   * @example
   * const codec = new SecureCookieSessionInterface().get_signing_serializer(app)!;
   * codec.loads(request.cookies.get("session")!);   // the session data a Flask app with this key stored
   */
  get_signing_serializer(app: Flask): SessionCookieSerializer | null {
    const secret = app.secret_key;
    if (!secret) return null;
    const fallbacks = (app.config.SECRET_KEY_FALLBACKS as SecretKey[] | null) ?? [];
    return new SessionCookieSerializer({
      secret_keys: [...fallbacks, secret],
      salt: this.salt,
      serializer: this.serializer,
      now: () => this.now(),
    });
  }

  /**
   * Reads and verifies the session cookie; a missing or bad cookie gives an empty session, no secret key gives null.
   *
   * @example
   * const s = new SecureCookieSessionInterface().open_session(app, request);
   */
  open_session(app: Flask, request: Request): Session | null {
    if (!app.secret_key) return null;
    const value = request.cookies.get(this.get_cookie_name(app)) as string | null | undefined;
    if (!value) return new this.session_class();
    // The serializer (and its key derivation) is only needed when there is a cookie to read.
    const signer = this.get_signing_serializer(app)!;
    try {
      return new this.session_class(signer.loads(value, permanentSessionLifetime(app)));
    } catch {
      // Tampered, truncated, expired, signed with an unknown key or undecodable: Flask starts
      // an empty session for a BadSignature; we do it for every bad cookie (Flask would 500 on a
      // BadPayload), since a client controls this value.
      return new this.session_class();
    }
  }

  /**
   * Signs the session into the cookie, deletes the cookie when the session was emptied, adds Vary: Cookie.
   *
   * @example
   * new SecureCookieSessionInterface().save_session(app, session, response);   // Set-Cookie: session=...
   */
  save_session(app: Flask, session: SessionMixin, response: Response): void {
    const name = this.get_cookie_name(app);
    const cookie = {
      domain: this.get_cookie_domain(app),
      path: this.get_cookie_path(app),
      secure: this.get_cookie_secure(app),
      partitioned: this.get_cookie_partitioned(app),
      samesite: this.get_cookie_samesite(app),
      httponly: this.get_cookie_httponly(app),
      warn: (message: string) => app.logger.warning(message),
    };
    if (session.accessed) addVaryCookie(response);
    const data = session.to_dict();
    if (Object.keys(data).length === 0) {
      // Emptied during this request: tell the browser to forget it. Never set: nothing to do.
      if (session.modified) {
        response.delete_cookie(name, cookie);
        addVaryCookie(response);
      }
      return;
    }
    if (!this.should_set_cookie(app, session)) return;
    const signer = this.get_signing_serializer(app);
    if (signer === null) throw new RuntimeError(NO_SECRET_KEY);
    response.set_cookie(name, signer.dumps(data), { ...cookie, expires: this.get_expiration_time(app, session) });
    addVaryCookie(response);
  }
}
