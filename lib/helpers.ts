// The module-level helpers views call: url_for, redirect, abort, make_response, jsonify,
// after_this_request, and those that carry the request context into later code
// (stream_with_context, copy_current_request_context). Each reads the active context; none
// touches IO.

import type { UrlForValues } from "./app.js";
import { RuntimeError, activeAppContext, requestContext, requireAppContext, requireRequestContext, runInContext, type RequestContext } from "./context.js";
import { makeAborter, redirectResponse } from "./http-exceptions.js";
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
  const app = activeAppContext()?.app;
  return app === undefined ? redirectResponse(location, code) : app.redirect(location, code);
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
  // The app's aborter when there is one (its mapping may have codes of its own), as in Flask.
  return (activeAppContext()?.app.aborter ?? defaultAborter)(status, description);
}

const defaultAborter = makeAborter();

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

/** The request context a helper captures, or Flask's error naming the helper. */
function captureRequestContext(helper: string): RequestContext {
  const ctx = requestContext();
  if (ctx === undefined) throw new RuntimeError(`'${helper}' can only be used when a request context is active, such as in a view function.`);
  return ctx;
}

/**
 * A streamed body that keeps the request context while it is produced (Flask's
 * `stream_with_context`): the response is sent after the view returned, when `request` and
 * `session` would otherwise be gone.
 *
 * @example
 * app.get("/stream", () => stream_with_context((function* () {
 *   yield "Hello ";
 *   yield request.args.get("name") ?? "nobody";
 * })()));
 */
export function stream_with_context<T>(body: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T>;
/** The decorator form: a generator function whose bodies keep the context of the request that called it. */
export function stream_with_context<A extends unknown[], T>(fn: (...args: A) => Iterable<T> | AsyncIterable<T>): (...args: A) => AsyncGenerator<T>;
export function stream_with_context<T>(
  body: Iterable<T> | AsyncIterable<T> | ((...args: unknown[]) => Iterable<T> | AsyncIterable<T>),
): AsyncGenerator<T> | ((...args: unknown[]) => AsyncGenerator<T>) {
  if (typeof body === "function") return (...args: unknown[]) => stream_with_context(body(...args));
  const ctx = captureRequestContext("stream_with_context");
  return (async function* withContext(): AsyncGenerator<T> {
    const iterator = runInContext(ctx, () =>
      Symbol.asyncIterator in body ? (body as AsyncIterable<T>)[Symbol.asyncIterator]() : (body as Iterable<T>)[Symbol.iterator](),
    ) as Iterator<T> | AsyncIterator<T>;
    let done = false;
    try {
      for (;;) {
        const step = await runInContext(ctx, () => iterator.next());
        if (step.done) {
          done = true;
          return;
        }
        yield step.value;
      }
    } finally {
      // A client that went away stops the body: its generator's finally blocks run in context too.
      if (!done && iterator.return) await runInContext(ctx, () => iterator.return!());
    }
  })();
}

/**
 * A function that runs with the current request context, wherever it is called later (Flask's
 * `copy_current_request_context`): a timer or a background job started by a view.
 *
 * @example
 * app.route("/", function index() {
 *   setTimeout(copy_current_request_context(() => send_audit(request.path)), 0);
 *   return "Regular response";
 * });
 */
export function copy_current_request_context<F extends (...args: any[]) => any>(fn: F): F {
  const ctx = captureRequestContext("copy_current_request_context");
  return function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    return runInContext(ctx, () => fn.apply(this, args));
  } as F;
}
