// URL building for an app: Flask's url_for on top of the URL map. Owns relative endpoints,
// the mount prefix, _external/_scheme/_anchor/_method and the outside-a-request rules; the
// rule-level building and quoting live in url-build.ts.

import type { App, UrlForValues } from "./app-base.js";
import { requestContext } from "./context.js";
import { quote } from "./urls.js";

/**
 * Builds `endpoint`'s URL for `app` (Flask's `app.url_for`). In a request of this app, URLs are
 * relative to the request's mount point; outside one, SERVER_NAME (and APPLICATION_ROOT,
 * PREFERRED_URL_SCHEME) say where the app lives, and URLs are external by default.
 */
export function buildUrl(app: App, endpoint: string, values: UrlForValues): string {
  const { _external, _scheme, _anchor, _method, ...rest } = values;
  const ctx = requestContext();
  let external: boolean;
  let scheme: string;
  let host: string;
  let scriptName: string;
  if (ctx !== undefined && ctx.app === app) {
    if (endpoint.startsWith(".")) {
      const bp = ctx.request.blueprint;
      endpoint = bp === null ? endpoint.slice(1) : `${bp}${endpoint}`;
    }
    // A scheme implies an external URL, as in Flask.
    external = _external ?? _scheme !== undefined;
    scheme = ctx.request.scheme;
    host = ctx.request.host;
    scriptName = ctx.request.environ.script_name.replace(/\/+$/, "");
  } else {
    const serverName = app.config.SERVER_NAME as string | null;
    if (!serverName) {
      throw new Error(
        "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed.",
      );
    }
    if (endpoint.startsWith(".")) endpoint = endpoint.slice(1);
    external = _external ?? true;
    scheme = app.config.PREFERRED_URL_SCHEME as string;
    host = serverName;
    scriptName = quote(String(app.config.APPLICATION_ROOT ?? "/").replace(/\/+$/, ""));
  }
  if (_scheme !== undefined) {
    if (!external) throw new TypeError("When specifying '_scheme', '_external' must be true.");
    scheme = _scheme;
  }
  app.inject_url_defaults(endpoint, rest);
  let url = app.url_map.build(endpoint, rest, _method === undefined ? {} : { method: _method });
  if (endpoint === "static" && app.static_host && ctx !== undefined) {
    external = true;
    host = app.static_host;
  }
  url = scriptName + url;
  if (external) url = `${scheme}://${host}${url}`;
  if (_anchor !== undefined) url += `#${quote(String(_anchor), "%!#$&'()*+,/:;=?@")}`;
  return url;
}
