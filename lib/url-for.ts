// URL building for an app: Flask's url_for on top of the URL adapter (url-adapter.ts). Owns
// relative endpoints, _external/_scheme/_anchor/_method and the outside-a-request rules; where
// the app lives (host, mount prefix, subdomain) is the adapter's, the rule-level building and
// quoting url-build.ts's.

import type { App, UrlForValues } from "./app-base.js";
import { requestContext } from "./context.js";
import type { MapAdapter } from "./url-adapter.js";
import { BuildError } from "./url-build.js";
import { quote } from "./urls.js";

/**
 * Builds `endpoint`'s URL for `app` (Flask's `app.url_for`). In a request of this app, URLs are
 * relative to the request's mount point; outside one, SERVER_NAME (and APPLICATION_ROOT,
 * PREFERRED_URL_SCHEME) say where the app lives, and URLs are external by default.
 */
export function buildUrl(app: App, endpoint: string, values: UrlForValues): string {
  const { _external, _scheme, _anchor, _method, ...rest } = values;
  const ctx = requestContext();
  let adapter: MapAdapter | null;
  let external: boolean;
  if (ctx !== undefined && ctx.app === app) {
    if (endpoint.startsWith(".")) {
      const bp = ctx.request.blueprint;
      endpoint = bp === null ? endpoint.slice(1) : `${bp}${endpoint}`;
    }
    adapter = ctx.url_adapter;
    // A scheme implies an external URL, as in Flask.
    external = _external ?? _scheme !== undefined;
  } else {
    adapter = app.create_url_adapter(null);
    if (adapter === null) {
      throw new Error(
        "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed.",
      );
    }
    if (endpoint.startsWith(".")) endpoint = endpoint.slice(1);
    external = _external ?? true;
  }
  if (_scheme !== undefined && !external) throw new TypeError("When specifying '_scheme', '_external' must be true.");
  app.inject_url_defaults(endpoint, rest);
  let url: string;
  try {
    url = adapter.build(endpoint, rest, {
      force_external: external,
      ...(_method !== undefined && { method: _method }),
      ...(_scheme !== undefined && { url_scheme: _scheme }),
    });
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    // The app's url_build_error_handlers may still give a URL (an anchor is not added to it).
    return app.handle_url_build_error(error, endpoint, { ...rest, _anchor, _method, _scheme, _external: external });
  }
  if (_anchor !== undefined) url += `#${quote(String(_anchor), "%!#$&'()*+,/:;=?@")}`;
  return url;
}
