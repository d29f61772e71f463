// Sessions that live in the host stack's express-session: `session` in a view becomes a Flask-style
// view of `req.session`, so Flask code shares the host's sessions and store. Also the default
// interface, which picks express-session when the host mounted it and signed cookies otherwise.
// Never imports express or express-session: it only reads the `session` property they put on req.

import type { Flask } from "./app.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";
import { SecureCookieSessionInterface } from "./secure-cookie-session.js";
import { Session, SessionInterface, addVaryCookie, permanentSessionLifetime, type SessionMixin } from "./session-interface.js";

/** The slice of express-session's `req.session` this module relies on. */
export interface HostSession {
  [key: string]: unknown;
  cookie?: { maxAge?: number | null; expires?: Date | null | boolean; originalMaxAge?: number | null };
}

// Properties express-session keeps on req.session that are not session data.
const HOST_OWNED = new Set(["cookie"]);
const HOST = Symbol("express-session.host");

/**
 * A Flask-style session over express-session's `req.session`. It works on a copy, so writes are
 * tracked the Flask way (`modified`, `accessed`) and reach `req.session` when the response is
 * finalized; until then other middleware sees the session as it was.
 *
 * @example
 * session.user_id = 1;                          // reaches req.session.user_id when the response is finalized
 * (session as ExpressSession).host_session.cookie;   // express-session's own cookie settings
 */
export class ExpressSession extends Session {
  declare [HOST]: HostSession;
  /** Whether the session was permanent when the request began. */
  declare readonly was_permanent: boolean;

  constructor(host: HostSession) {
    const data = copyData(host);
    super(data);
    this[HOST] = host;
    Object.defineProperty(this, "was_permanent", { value: data._permanent === true });
  }

  /** express-session's own `req.session` (regenerate, destroy, id, cookie...). */
  get host_session(): HostSession {
    return this[HOST];
  }
}

function copyData(host: HostSession): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(host)) {
    if (HOST_OWNED.has(key) || typeof host[key] === "function") continue;
    data[key] = host[key];
  }
  try {
    // Nested values are copied too, so in-place edits need `session.modified = true` as in Flask.
    return structuredClone(data);
  } catch {
    return data;
  }
}

/** The express-session of a request, if the host stack mounted one before flaskish. */
export function hostSessionOf(request: Request): HostSession | undefined {
  const node = request.environ.node;
  // express-session (and cookie-session) set `session` on the request itself: looking only there
  // spares every request without one a walk up Express's long prototype chain.
  if (node === undefined || !Object.hasOwn(node, "session")) return undefined;
  const session = (node as { session?: unknown }).session;
  return session !== null && typeof session === "object" ? (session as HostSession) : undefined;
}

/**
 * Uses the host stack's express-session (`app.use(session({...}))` before `flaskish(app)`) as
 * Flask's session, with Flask semantics: only modified sessions are written back, a permanent
 * session sets the cookie's maxAge to PERMANENT_SESSION_LIFETIME, `clear()` and `pop()` remove
 * keys from the store, flashes live under `_flashes`. No secret key is needed (express-session
 * signs its own cookie). Values round-trip through the store's serializer (JSON for most stores),
 * so tuples come back as arrays and Dates as strings.
 *
 * @example
 * server.use(expressSession({ store: new RedisStore({ client }), secret: "s", resave: false, saveUninitialized: false }));
 * app.session_interface = new ExpressSessionInterface();
 * server.use(flaskish(app));
 */
export class ExpressSessionInterface extends SessionInterface {
  /**
   * Wraps the request's `req.session`; throws when express-session is not mounted before flaskish.
   *
   * @example
   * new ExpressSessionInterface().open_session(app, request).get("user_id");
   */
  open_session(_app: Flask, request: Request): ExpressSession {
    const host = hostSessionOf(request);
    if (host === undefined) {
      throw new Error(
        "ExpressSessionInterface found no req.session: mount express-session (app.use(session({...}))) before " +
          "flaskish(app), or use SecureCookieSessionInterface.",
      );
    }
    return new ExpressSession(host);
  }

  /**
   * Copies a modified session back into `req.session` and applies `permanent` to its cookie's maxAge.
   *
   * @example
   * new ExpressSessionInterface().save_session(app, session, response);   // express-session then stores it
   */
  save_session(app: Flask, session: SessionMixin, response: Response): void {
    if (session.accessed) addVaryCookie(response);
    if (!(session instanceof ExpressSession)) {
      throw new TypeError("ExpressSessionInterface can only save sessions it opened (an ExpressSession).");
    }
    const host = session.host_session;
    if (!this.should_set_cookie(app, session)) return;
    if (session.modified) {
      const data = session.to_dict();
      for (const key of Object.keys(host)) {
        if (!HOST_OWNED.has(key) && typeof host[key] !== "function" && !Object.hasOwn(data, key)) delete host[key];
      }
      Object.assign(host, data);
    }
    if (host.cookie !== undefined) {
      // Permanent: the cookie outlives the browser session. Made non-permanent here: back to a
      // browser-session cookie. Otherwise the host's own cookie settings stay in charge.
      if (session.permanent) {
        const lifetime = permanentSessionLifetime(app) * 1000;
        host.cookie.maxAge = lifetime;
        // express-session derives originalMaxAge from expires - now, which may already be a
        // millisecond short; the lifetime is exact, and resetMaxAge() reuses it.
        host.cookie.originalMaxAge = lifetime;
      } else if (session.was_permanent) host.cookie.maxAge = null;
    }
  }
}

/**
 * Flask's session default, adapted to host stacks: express-session when the request carries
 * `req.session`, Flask's signed cookies otherwise. Set `app.session_interface` to either
 * interface to choose explicitly.
 *
 * @example
 * app.session_interface = new DefaultSessionInterface(); // what a new Flask app starts with
 */
export class DefaultSessionInterface extends SessionInterface {
  readonly cookie = new SecureCookieSessionInterface();
  readonly express = new ExpressSessionInterface();

  constructor() {
    super();
    // One clock for both, so pinning `now` on this interface pins cookie timestamps too.
    this.cookie.now = () => this.now();
    this.express.now = () => this.now();
  }

  /**
   * Delegates to `express` when the request has `req.session`, else to `cookie`.
   *
   * @example
   * new DefaultSessionInterface().open_session(app, request);   // ExpressSession under express-session
   */
  open_session(app: Flask, request: Request): SessionMixin | null {
    return hostSessionOf(request) === undefined ? this.cookie.open_session(app, request) : this.express.open_session(app, request);
  }

  /**
   * Saves through whichever interface opened the session.
   *
   * @example
   * new DefaultSessionInterface().save_session(app, session, response);
   */
  save_session(app: Flask, session: SessionMixin, response: Response): void {
    if (session instanceof ExpressSession) this.express.save_session(app, session, response);
    else this.cookie.save_session(app, session, response);
  }
}
