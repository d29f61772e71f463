// The module-level helpers views call: url_for, redirect, abort, make_response, jsonify,
// after_this_request. Each reads the active context; none touches IO.

import type { UrlForValues } from "./app.js";
import { requestContext, requireAppContext, requireRequestContext } from "./context.js";
import { HTTPException, default_exceptions, redirectResponse } from "./http-exceptions.js";
import type { Response } from "./response.js";

/**
 * Builds the URL of an endpoint. Values the rule does not use become the query string; the
 * mount prefix is included. `_external`, `_scheme`, `_anchor` and `_method` as in Flask.
 *
 * @example
 * url_for("index");                                  // "/"
 * url_for("login", { next: "/" });                   // "/login?next=/"
 * url_for("profile", { username: "John Doe" });      // "/user/John%20Doe"
 * url_for("static", { filename: "style.css" });      // "/static/style.css"
 * url_for(".index");                                 // the current blueprint's index
 */
export function url_for(endpoint: string, values: UrlForValues = {}): string {
  return requireAppContext().app.url_for(endpoint, values);
}

/**
 * A redirect response (302 by default) with Werkzeug's HTML body.
 *
 * @example
 * return redirect(url_for("login"));
 * return redirect("/new-home", 301);
 */
export function redirect(location: string, code = 302): Response {
  return redirectResponse(location, code);
}

/**
 * Stops the request with an HTTP error (or with a given response). Never returns.
 *
 * @example
 * abort(401);
 * abort(404, "No such post");
 * abort(make_response({ error: "bad" }, 400));
 */
export function abort(status: number | Response, description?: string): never {
  if (typeof status !== "number") {
    throw new HTTPException(description ?? null, status);
  }
  const cls = default_exceptions.get(status);
  if (cls === undefined) {
    throw new TypeError(`abort(${status}): no HTTP exception is defined for this code. Raise a subclass of HTTPException with that code instead.`);
  }
  throw new cls(description ?? null);
}

/**
 * Turns any view return value into a Response you can change before returning it.
 *
 * @example
 * const resp = make_response(render_template("error.html"), 404);
 * resp.headers.set("X-Something", "A value");
 * return resp;
 */
export function make_response(...args: unknown[]): Response {
  const app = requireAppContext().app;
  const ctx = requestContext();
  if (args.length === 0) return new app.response_class();
  return app.make_response(args.length === 1 ? args[0] : args, ctx);
}

/**
 * A JSON response. One argument is serialized as is; several become a list. Unlike a returned
 * array, jsonify() never reads its argument as a (body, status) tuple.
 *
 * @example
 * return jsonify({ username: user.username, theme: user.theme });
 * return [jsonify(errors), 422];
 */
export function jsonify(...args: unknown[]): Response {
  const app = requireAppContext().app;
  // Flask: jsonify() is null, jsonify(x) is x, jsonify(a, b) is [a, b].
  return app.json.response(args.length === 0 ? null : args.length === 1 ? args[0] : args);
}

/**
 * Runs `f` on this request's response, before the after_request hooks.
 *
 * @example
 * after_this_request((response) => { response.set_cookie("visited", "yes"); return response; });
 */
export function after_this_request<F extends (response: Response) => Response | void | Promise<Response | void>>(f: F): F {
  requireRequestContext()._after_request_functions.push(f);
  return f;
}
