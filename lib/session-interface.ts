// The session contract: the dict-like session object Flask views use, and the SessionInterface
// base class whose open_session/save_session every session backend implements.
// Owns the change tracking (modified/accessed) and the cookie settings; no crypto, no IO.

import type { Flask } from "./app.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";

const DATA = Symbol("session.data");
const STATE = Symbol("session.state");

// Names probed by runtimes and libraries; they are never session keys.
const NOT_KEYS = new Set(["then", "toJSON", "constructor", "inspect", "$$typeof", "asymmetricMatch", "__proto__"]);

// Keys read and write as properties: one handler for every session (it keeps no state of its own).
const SESSION_KEYS: ProxyHandler<Session> = {
  get(target, prop, receiver) {
    if (typeof prop === "symbol" || NOT_KEYS.has(prop)) return Reflect.get(target, prop, receiver);
    // Flask 3.1.3 counts any use of the session as access (Vary: Cookie), methods included.
    // Reading `accessed` itself must not, so a session interface can ask before it saves.
    if (prop !== "accessed") target[STATE].accessed = true;
    if (prop in target) return Reflect.get(target, prop, receiver);
    return target[DATA][prop];
  },
  set(target, prop, value, receiver) {
    if (typeof prop !== "symbol" && typeof Reflect.get(target, prop) === "function") {
      // `session.items = [...]` would silently replace the method; Python spells it session["items"].
      throw new TypeError(`"${prop}" is a session method, not a key: use session.set(${JSON.stringify(prop)}, value).`);
    }
    if (typeof prop === "symbol") return Reflect.set(target, prop, value, receiver);
    if (prop !== "accessed") target[STATE].accessed = true;
    if (prop in target) return Reflect.set(target, prop, value, receiver);
    target.set(prop, value);
    return true;
  },
  has(target, prop) {
    if (typeof prop === "symbol") return prop in target;
    return target.has(prop);
  },
  deleteProperty(target, prop) {
    if (typeof prop === "string") target.delete(prop);
    return true;
  },
  ownKeys(target) {
    target[STATE].accessed = true;
    return Object.keys(target[DATA]);
  },
  getOwnPropertyDescriptor(target, prop) {
    if (typeof prop !== "string" || !Object.hasOwn(target[DATA], prop)) return undefined;
    return { value: target[DATA][prop], enumerable: true, configurable: true, writable: true };
  },
};

/**
 * A dict-like session that records reads (`accessed`) and writes (`modified`), like Flask's
 * SecureCookieSession. Keys read and write as properties or through the dict methods.
 * Mutating a nested value in place is not seen: set `session.modified = true` then, as in Flask.
 *
 * @example
 * session.username = "alice";          // Flask: session["username"] = "alice"
 * session.has("username");             // Flask: "username" in session
 * session.pop("username", null);
 * session.permanent = true;
 */
export class Session {
  [key: string]: any;
  declare [DATA]: Record<string, unknown>;
  declare [STATE]: { modified: boolean; accessed: boolean; isNew: boolean };

  constructor(initial: Record<string, unknown> = {}, isNew = false) {
    this[DATA] = { ...initial };
    this[STATE] = { modified: false, accessed: false, isNew };
    return new Proxy(this, SESSION_KEYS);
  }

  /** True once the session was written: it will be saved. */
  get modified(): boolean {
    return this[STATE].modified;
  }

  set modified(value: boolean) {
    this[STATE].modified = value;
  }

  /** True once the session was read: responses then carry `Vary: Cookie`. */
  get accessed(): boolean {
    return this[STATE].accessed;
  }

  set accessed(value: boolean) {
    this[STATE].accessed = value;
  }

  /** True when no session came with the request. */
  get new(): boolean {
    return this[STATE].isNew;
  }

  /** Lives for PERMANENT_SESSION_LIFETIME instead of the browser session (stored as `_permanent`). */
  get permanent(): boolean {
    this[STATE].accessed = true;
    return this[DATA]._permanent === true;
  }

  set permanent(value: boolean) {
    this.set("_permanent", Boolean(value));
  }

  /**
   * The value of `key`, or `default_value` (null) when absent (Flask's `session.get`).
   *
   * @example
   * const theme = session.get("theme", "light");
   */
  get(key: string, default_value: unknown = null): any {
    this[STATE].accessed = true;
    return Object.hasOwn(this[DATA], key) ? this[DATA][key] : default_value;
  }

  /**
   * Sets `key` (Python's `session[key] = value`); marks the session modified.
   *
   * @example
   * session.set("items", cart);   // for keys named like methods; session.cart = cart otherwise
   */
  set(key: string, value: unknown): void {
    this[STATE].accessed = true;
    this[STATE].modified = true;
    this[DATA][key] = value;
  }

  /**
   * Whether `key` is set (Python's `key in session`; `"key" in session` works too).
   *
   * @example
   * if (!session.has("user_id")) return redirect(url_for("login"));
   */
  has(key: string): boolean {
    this[STATE].accessed = true;
    return Object.hasOwn(this[DATA], key);
  }

  /**
   * Removes `key` (Python's `del session[key]`); true when it was there.
   *
   * @example
   * session.delete("user_id");   // Flask: del session["user_id"]; or `delete session.user_id`
   */
  delete(key: string): boolean {
    const had = this.has(key);
    if (had) {
      this[STATE].modified = true;
      delete this[DATA][key];
    }
    return had;
  }

  /**
   * Removes and returns `key`; without a default a missing key throws, as a dict's pop does.
   *
   * @example
   * const user_id = session.pop("user_id", null);
   */
  pop(key: string, ...default_value: [] | [unknown]): any {
    this[STATE].accessed = true;
    if (!Object.hasOwn(this[DATA], key)) {
      if (default_value.length) return default_value[0];
      throw new Error(`KeyError: ${JSON.stringify(key)} is not in the session; pass a default to session.pop().`);
    }
    const value = this[DATA][key];
    this.delete(key);
    return value;
  }

  /**
   * The value of `key`, set to `default_value` first when absent (Flask's `session.setdefault`).
   *
   * @example
   * const cart = session.setdefault("cart", []);
   */
  setdefault(key: string, default_value: unknown = null): any {
    if (!this.has(key)) this.set(key, default_value);
    return this[DATA][key];
  }

  /**
   * Sets every key of `values` (Python's `session.update`); always marks the session modified.
   *
   * @example
   * session.update({ user_id: user.id, theme: "dark" });
   */
  update(values: Record<string, unknown>): void {
    this[STATE].accessed = true;
    this[STATE].modified = true; // even with nothing to add, as Werkzeug's CallbackDict
    for (const [k, v] of Object.entries(values)) this.set(k, v);
  }

  /**
   * Empties the session; always counts as a change (Flask then deletes the cookie).
   *
   * @example
   * app.route("/logout", function logout() { session.clear(); return redirect(url_for("index")); });
   */
  clear(): void {
    this[STATE].accessed = true;
    this[STATE].modified = true;
    this[DATA] = {};
  }

  /**
   * The keys set, in insertion order (`_permanent` and `_flashes` included when present).
   *
   * @example
   * session.keys();   // ["user_id", "_flashes"]
   */
  keys(): string[] {
    this[STATE].accessed = true;
    return Object.keys(this[DATA]);
  }

  /**
   * The values, in key order.
   *
   * @example
   * session.values();
   */
  values(): unknown[] {
    return this.keys().map((k) => this[DATA][k]);
  }

  /**
   * The (key, value) pairs, in insertion order.
   *
   * @example
   * for (const [key, value] of session.items()) console.log(key, value);
   */
  items(): [string, unknown][] {
    return this.keys().map((k) => [k, this[DATA][k]]);
  }

  /**
   * The number of keys (Python's `len(session)`).
   *
   * @example
   * if (session.length === 0) console.log("empty session");
   */
  get length(): number {
    return this.keys().length;
  }

  /**
   * The stored data as a plain object (what a backend serializes).
   *
   * @example
   * const data = session.to_dict();   // { user_id: 1 }
   */
  to_dict(): Record<string, unknown> {
    return { ...this[DATA] };
  }

  toJSON(): Record<string, unknown> {
    return this.to_dict();
  }
}

/** The dict-like interface views use; backends may return their own compatible objects. */
export type SessionMixin = Session;

/**
 * The session used when no secret key is set: reads work (it is empty), writes fail with a
 * message that says what to do, as Flask's NullSession does.
 *
 * @example
 * app.secret_key = null;
 * session.user_id = 1;   // inside a view: throws RuntimeError saying to set app.secret_key
 */
export class NullSession extends Session {
  /** Throws RuntimeError: a session needs a secret key. */
  override set(_key?: string, _value?: unknown): never {
    throw new RuntimeError(NO_SECRET_KEY);
  }
  // Flask's NullSession fails every mutating dict method, even ones that would change nothing.
  /** Throws RuntimeError, as every mutating method does. */
  override pop(_key?: string, ..._default: [] | [unknown]): never {
    return this.set();
  }
  /** Throws RuntimeError, as every mutating method does. */
  override clear(): never {
    return this.set();
  }
  /** Throws RuntimeError, as every mutating method does. */
  override delete(_key?: string): never {
    return this.set();
  }
  /** Throws RuntimeError, as every mutating method does. */
  override setdefault(_key?: string, _default?: unknown): never {
    return this.set();
  }
  /** Throws RuntimeError, as every mutating method does. */
  override update(_values?: Record<string, unknown>): never {
    return this.set();
  }
}

/** Why a session cannot be written without a key, and what to do about it. */
export const NO_SECRET_KEY =
  "The session is unavailable because no secret key was set. Set app.secret_key " +
  "(app.config.SECRET_KEY) to something unique and secret.";

/** Python's RuntimeError, which Flask raises for session misuse. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * Adds `Cookie` to the response's Vary header once, keeping what is there (Werkzeug's
 * `response.vary.add("Cookie")`).
 */
export function addVaryCookie(response: Response): void {
  const current = response.headers.getlist("Vary").flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  if (current.some((v) => v.toLowerCase() === "cookie" || v === "*")) return;
  response.headers.set("Vary", [...current, "Cookie"].join(", "));
}

/**
 * How sessions are loaded and stored (Flask's SessionInterface). Subclass it and set
 * `app.session_interface` to plug in your own; open_session and save_session may be async.
 *
 * @example
 * class HeaderSessions extends SessionInterface {
 *   open_session(app, request) { return new Session(JSON.parse(request.headers.get("X-Session") ?? "{}")); }
 *   save_session(app, session, response) { response.headers.set("X-Session", JSON.stringify(session.to_dict())); }
 * }
 * app.session_interface = new HeaderSessions();
 */
export abstract class SessionInterface {
  null_session_class: new () => Session = NullSession;
  #nullSession: [new () => Session, Session] | undefined;
  /**
   * The clock, in seconds since the epoch: expiration times and cookie timestamps read it.
   * Replace it to pin time in tests (Flask reads the system clock; there is no Flask name).
   */
  now: () => number = () => Date.now() / 1000;

  /**
   * Loads the request's session, or null to use the null session (no secret key); may be async.
   *
   * @example
   * open_session(app: Flask, request: Request) { return new Session(store.get(request.cookies.get("sid") ?? "") ?? {}); }   // in a subclass
   */
  abstract open_session(app: Flask, request: Request): SessionMixin | null | Promise<SessionMixin | null>;
  /**
   * Stores the session and sets its cookie on the response; called after after_request hooks; may be async.
   *
   * @example
   * save_session(app: Flask, session: SessionMixin, response: Response) {   // in a subclass
   *   if (this.should_set_cookie(app, session)) response.set_cookie(this.get_cookie_name(app), store.put(session.to_dict()));
   * }
   */
  abstract save_session(app: Flask, session: SessionMixin, response: Response): void | Promise<void>;

  /**
   * A session to use when open_session returns null: an instance of `null_session_class`.
   *
   * @example
   * const empty = app.session_interface.make_null_session(app);   // reads work, writes throw
   */
  make_null_session(_app: Flask): SessionMixin {
    // A null session holds nothing and refuses writes, so one instance serves every request.
    const cached = this.#nullSession;
    if (cached !== undefined && cached[0] === this.null_session_class) return cached[1];
    const session = new this.null_session_class();
    this.#nullSession = [this.null_session_class, session];
    return session;
  }

  /**
   * Whether `session` is a null session; save_session is skipped for those.
   *
   * @example
   * if (app.session_interface.is_null_session(session)) console.warn("no secret key: sessions are off");
   */
  is_null_session(session: unknown): boolean {
    return session instanceof NullSession;
  }

  /**
   * The cookie name: SESSION_COOKIE_NAME.
   *
   * @example
   * this.get_cookie_name(app);   // "session", or SESSION_COOKIE_NAME
   */
  get_cookie_name(app: Flask): string {
    return app.config.SESSION_COOKIE_NAME as string;
  }

  /**
   * The cookie's Domain: SESSION_COOKIE_DOMAIN, or null for the current host only.
   *
   * @example
   * this.get_cookie_domain(app);   // null unless SESSION_COOKIE_DOMAIN is set
   */
  get_cookie_domain(app: Flask): string | null {
    return (app.config.SESSION_COOKIE_DOMAIN as string | null) || null;
  }

  /**
   * The cookie's Path: SESSION_COOKIE_PATH, else APPLICATION_ROOT, else "/".
   *
   * @example
   * this.get_cookie_path(app);   // SESSION_COOKIE_PATH, else APPLICATION_ROOT ("/")
   */
  get_cookie_path(app: Flask): string {
    return (app.config.SESSION_COOKIE_PATH as string | null) || (app.config.APPLICATION_ROOT as string) || "/";
  }

  /**
   * Whether the cookie is HttpOnly: SESSION_COOKIE_HTTPONLY.
   *
   * @example
   * this.get_cookie_httponly(app);   // true by default
   */
  get_cookie_httponly(app: Flask): boolean {
    return Boolean(app.config.SESSION_COOKIE_HTTPONLY);
  }

  /**
   * Whether the cookie is Secure: SESSION_COOKIE_SECURE.
   *
   * @example
   * app.config.SESSION_COOKIE_SECURE = true;   // then get_cookie_secure(app) is true
   */
  get_cookie_secure(app: Flask): boolean {
    return Boolean(app.config.SESSION_COOKIE_SECURE);
  }

  /**
   * The cookie's SameSite: SESSION_COOKIE_SAMESITE, or null for none.
   *
   * @example
   * app.config.SESSION_COOKIE_SAMESITE = "Lax";   // then get_cookie_samesite(app) is "Lax"
   */
  get_cookie_samesite(app: Flask): "Strict" | "Lax" | "None" | null {
    return (app.config.SESSION_COOKIE_SAMESITE as "Strict" | "Lax" | "None" | null) ?? null;
  }

  /**
   * Whether the cookie is Partitioned: SESSION_COOKIE_PARTITIONED.
   *
   * @example
   * app.config.SESSION_COOKIE_PARTITIONED = true;   // adds Partitioned (CHIPS)
   */
  get_cookie_partitioned(app: Flask): boolean {
    return Boolean(app.config.SESSION_COOKIE_PARTITIONED);
  }

  /**
   * When a permanent session expires, or null for a browser-session cookie.
   *
   * @example
   * const expires = this.get_expiration_time(app, session);   // now + PERMANENT_SESSION_LIFETIME, or null
   */
  get_expiration_time(app: Flask, session: SessionMixin): Date | null {
    if (!session.permanent) return null;
    return new Date((this.now() + permanentSessionLifetime(app)) * 1000);
  }

  /**
   * Flask's rule: save when modified, or on every request for permanent sessions if configured.
   *
   * @example
   * if (!this.should_set_cookie(app, session)) return;   // first line of a save_session
   */
  should_set_cookie(app: Flask, session: SessionMixin): boolean {
    return session.modified || (session.permanent && Boolean(app.config.SESSION_REFRESH_EACH_REQUEST));
  }
}

/** PERMANENT_SESSION_LIFETIME in whole seconds (Flask's `int(lifetime.total_seconds())`). */
export function permanentSessionLifetime(app: Flask): number {
  const lifetime = Number(app.config.PERMANENT_SESSION_LIFETIME);
  if (!Number.isFinite(lifetime)) {
    throw new TypeError(`PERMANENT_SESSION_LIFETIME must be a number of seconds, got ${String(app.config.PERMANENT_SESSION_LIFETIME)}.`);
  }
  return Math.trunc(lifetime);
}
