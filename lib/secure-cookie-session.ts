// SecureCookieSessionInterface: Flask's default signed-cookie sessions.

import type { Flask } from "./app.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";
import { Session, SessionInterface } from "./session-interface.js";

export class SecureCookieSessionInterface extends SessionInterface {
  open_session(app: Flask, _request: Request): Session | null {
    if (!app.secret_key) return null;
    return new Session({}, true);
  }
  save_session(_app: Flask, _session: Session, _response: Response): void {}
}
