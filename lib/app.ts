// Flask: the application object that handles requests. Adds to App (app-base.ts) the contexts
// and the request pipeline with Flask's stage names: preprocess_request, dispatch_request,
// handle_user_exception, handle_exception, finalize_request (make_response, process_response),
// do_teardown_request. Never touches Node's req/res: express-adapter.ts does.

import type { Server } from "node:http";
import { App } from "./app-base.js";
import { FlaskCliRunner } from "./cli/runner.js";
import { AppContext, RequestContext, activeAppContext, callInContext, driveInContext, invoke, invokeMethod } from "./context.js";
import { isThenable, type Stage } from "./coroutine.js";
import type { MatchResult } from "./matcher.js";
import { exc_info } from "./logging.js";
import { DefaultSessionInterface } from "./express-session-interface.js";
import { BadHost, HTTPException, InternalServerError, NotFound, RequestRedirect, SecurityError } from "./http-exceptions.js";
import { hasRefusedLabel } from "./idna.js";
import { pyRepr } from "./py-text.js";
import {
  appcontext_popped, appcontext_pushed, appcontext_tearing_down, got_request_exception, pipelineReceivers, request_finished,
  request_started, request_tearing_down, type Signal,
} from "./signals.js";
import { host_is_trusted, requestedHost } from "./sansio-request.js";
import type { MapAdapter } from "./url-adapter.js";
import type { Request, Environ } from "./request.js";
import { hasBody, loadBody, parseBufferedBody } from "./request-body.js";
import type { Response } from "./response.js";
import { run_simple, type RunOptions } from "./serving.js";
import type { SessionInterface, SessionMixin } from "./session-interface.js";
import { testEnviron, type TestEnvironOptions } from "./test-environ.js";
import { FlaskClient } from "./testing.js";

export { App, type FlaskOptions, type UrlForValues } from "./app-base.js";

/** Returned by `wsgi_app` when no rule matched and the host stack should answer instead. */
export const FALLTHROUGH: unique symbol = Symbol("flaskish.fallthrough");

export interface ServeOptions {
  /** Answer "no rule matched" with FALLTHROUGH instead of a 404. */
  fallthrough: boolean;
  /** Rethrow unhandled errors (for the host's error middleware) instead of the 500 page. */
  propagate: boolean;
}

/** The shape of `app.wsgi_app` and of middleware that wraps it (ProxyFix). */
export type WsgiApp = (environ: Environ, options: ServeOptions) => Response | typeof FALLTHROUGH | Promise<Response | typeof FALLTHROUGH>;

const NONE: readonly never[] = [];

/**
 * A Flask application: register views, hooks and error handlers on it, then mount it in
 * Express with `flaskish(app)` or serve it with `app.run()`.
 *
 * @example
 * const app = new Flask(import.meta.url);
 * app.route("/", function hello_world() { return "<p>Hello, World!</p>"; });
 * express().use(flaskish(app)).listen(3000);
 */
export class Flask extends App {
  /**
   * How sessions load and save. The default uses the host stack's express-session when the
   * request has `req.session`, and Flask's signed cookie otherwise.
   */
  session_interface: SessionInterface = new DefaultSessionInterface();

  // --- contexts --------------------------------------------------------------------------

  /**
   * An app context, already pushed (Flask's `with app.app_context():`). Use it with `using`,
   * which pops it at the end of the block, or call `run(fn)`, which runs `fn` and pops it.
   *
   * @example
   * app.app_context().run(() => init_db());
   * { using _ctx = app.app_context(); init_db(); }
   */
  app_context(): AppContext {
    const ctx = new AppContext(this);
    ctx.push();
    return ctx;
  }

  /**
   * A request context for an Environ (what the adapter and test contexts build).
   *
   * @example
   * const ctx = app.request_context(environFrom(req));   // a Node IncomingMessage
   * const response = await app.handle(ctx);
   */
  request_context(environ: Environ): RequestContext {
    return new RequestContext(this, new this.request_class(environ));
  }

  /**
   * A request context for a made-up request, for tests and scripts (Flask's
   * `test_request_context`), already pushed. Use `using`, which pops it at the end of the
   * block, or its `run(fn)` callback, which runs `fn` and pops it.
   *
   * @example
   * app.test_request_context("/hello", { method: "POST" }).run(() => {
   *   assert(request.path === "/hello");
   * });
   * { using _ctx = app.test_request_context(); console.log(url_for("index")); }
   */
  test_request_context(
    target = "/",
    options: TestEnvironOptions = {},
  ): RequestContext {
    const { environ, body } = testEnviron(this, target, options);
    // Inside `app.app_context()` of this app, the request shares that context and its `g`, as in Flask.
    const active = activeAppContext();
    const ctx = new RequestContext(this, new this.request_class(environ), active?.app === this ? active : undefined);
    this.match_request(ctx.request);
    if (body !== undefined) ctx.request._body = parseBufferedBody(ctx.request, body);
    ctx.push();
    return ctx;
  }

  // --- the request pipeline --------------------------------------------------------------


  /**
   * The entry point the adapter calls with each request's Environ (Flask's `wsgi_app`).
   * Wrap it to rewrite requests before routing, as WSGI middleware does:
   *
   * @example
   * app.wsgi_app = ProxyFix(app.wsgi_app, { x_for: 1, x_proto: 1 });
   */
  wsgi_app: WsgiApp = (environ, options) => this.#serveEnviron(environ, options);

  #serveEnviron(environ: Environ, { fallthrough, propagate }: ServeOptions): Response | typeof FALLTHROUGH | Promise<Response> {
    const ctx = this.request_context(environ);
    const request = ctx.request;
    this.match_request(request);
    if (fallthrough && request.routing_exception !== null && this.#fallsThrough(request)) return FALLTHROUGH;
    return this.#run(ctx, propagate);
  }

  // A mounted app hands on the URLs no rule of it matches, whatever the host: another route of
  // the host stack may answer them (an untrusted host is a 400 only for the app's own URLs).
  #fallsThrough(request: Request): boolean {
    const error = request.routing_exception;
    if (!(error instanceof SecurityError || error instanceof BadHost)) return error instanceof NotFound;
    const url_map = this.url_map;
    let domain = url_map.default_subdomain;
    try {
      domain = this.#matchingAdapter(request)?.domain ?? domain;
    } catch {
      // A Host that is no host name: its URL is looked up on the default subdomain.
    }
    try {
      return url_map._resolve(request.path, request.method, "", domain) instanceof NotFound;
    } catch {
      return false; // the URL is the app's (a converter failed on it): the 400 stands
    }
  }

  // What the request's domain part is found with: null when rules match on the default
  // subdomain, else the adapter of where the request came to (subdomain or host matching). A
  // Host with an empty or overlong label is bound too, so it meets Werkzeug's BadHost (400) as
  // in Flask, which binds every request; one cheap test keeps the others from paying for it.
  #matchingAdapter(request: Request): MapAdapter | null {
    if (this.url_map.host_matching || this.subdomain_matching || hasRefusedLabel(request.environ.host)) return this.create_url_adapter(request);
    return null;
  }

  /**
   * Routes the request: sets url_rule and view_args, or routing_exception.
   *
   * @example
   * const ctx = app.request_context(environ);
   * app.match_request(ctx.request);
   * ctx.request.url_rule?.endpoint ?? ctx.request.routing_exception;   // "index", or a NotFound
   */
  match_request(request: Request): void {
    // Flask checks the host before routing: a host not in TRUSTED_HOSTS is a 400.
    const trusted = this.config.TRUSTED_HOSTS as readonly string[] | string | null;
    if (trusted !== null && trusted !== undefined && trusted.length > 0 && !host_is_trusted(request.host, trusted)) {
      request.routing_exception = new SecurityError(`Host ${pyRepr(requestedHost(request.environ))} is not trusted.`);
      return;
    }
    const url_map = this.url_map;
    let adapter: MapAdapter | null = null;
    let matched: MatchResult | HTTPException;
    try {
      // The domain part rules match on: the default subdomain, unless the app matches
      // subdomains or hosts (then where the request came to, which needs the adapter).
      adapter = this.#matchingAdapter(request);
      matched = url_map._resolve(request.path, request.method, request.query_string, adapter === null ? url_map.default_subdomain : adapter.domain, this, request);
    } catch (error) {
      // A converter or a redirect_to function failed, or the Host is no host name (BadHost):
      // the error is the request's to raise.
      request.routing_exception = error as Error;
      return;
    }
    if (!(matched instanceof HTTPException)) {
      request.url_rule = matched.rule;
      request.view_args = matched.args;
      return;
    }
    // A redirect goes to the same host (SERVER_NAME when set), under the mount point.
    try {
      if (matched instanceof RequestRedirect) matched.new_url = (adapter ?? this.create_url_adapter(request)!).absolute(matched.new_url);
    } catch (error) {
      request.routing_exception = error as Error; // BadHost
      return;
    }
    request.routing_exception = matched;
  }

  /**
   * Handles one request context end to end and gives the response to send: synchronously when
   * every hook, the view and the session backend are synchronous, else as a promise.
   * `propagate` rethrows unhandled errors (for the host's error middleware) instead of the 500 page.
   *
   * The stages below are generator functions named after Flask's; each `yield` hands a user
   * hook's result to lib/coroutine.ts, which awaits it only when it is a promise.
   *
   * @example
   * const response = await app.handle(app.request_context(environFrom(req)));
   * console.log(response.status);   // "200 OK"
   */
  handle(ctx: RequestContext, { propagate = false }: { propagate?: boolean } = {}): Response | Promise<Response> {
    const request = ctx.request;
    // A context made with request_context() alone has not been routed yet.
    if (request.url_rule === null && request.routing_exception === null) this.match_request(request);
    return this.#run(ctx, propagate);
  }

  #run(ctx: RequestContext, propagate: boolean): Response | Promise<Response> {
    if (this.#isPlain(ctx)) {
      const outcome = callInContext(ctx, this, this.#handlePlain);
      if (!(outcome instanceof Handover)) return outcome;
      return driveInContext(ctx, this.#handle(ctx, propagate, outcome));
    }
    return driveInContext(ctx, this.#handle(ctx, propagate));
  }

  // A request with nothing to run but its view: routed, no body to read, no hook, no stage
  // overridden. The rest (the session interface, the view) #handlePlain checks as it goes.
  #isPlain(ctx: RequestContext): boolean {
    return (
      ctx.request.routing_exception === null &&
      ctx.session === undefined &&
      pipelineReceivers.count === 0 &&
      this.before_request_funcs.size === 0 &&
      this.url_value_preprocessors.size === 0 &&
      this.after_request_funcs.size === 0 &&
      this.teardown_request_funcs.size === 0 &&
      this.teardown_appcontext_funcs.length === 0 &&
      this.full_dispatch_request === DEFAULT.full_dispatch_request &&
      this.preprocess_request === DEFAULT.preprocess_request &&
      this.finalize_request === DEFAULT.finalize_request &&
      this.process_response === DEFAULT.process_response &&
      this.do_teardown_request === DEFAULT.do_teardown_request &&
      this.do_teardown_appcontext === DEFAULT.do_teardown_appcontext &&
      !hasBody(ctx.request)
    );
  }

  // #handle for a plain request (#isPlain) written as plain calls: open the session, call the
  // view, make the response, save the session. Making the two generators of #handle and
  // full_dispatch_request costs a third of a small request's garbage. At the first thing that
  // needs more (a promise, an error, an after_this_request function) it stops and hands #handle
  // what it has, and #handle goes on from there: the request ends as it would have.
  #handlePlain(ctx: RequestContext): Response | Handover {
    let failure: "failed" | "raised" = "failed";
    try {
      const opening = this.#openSession(ctx);
      if (opening !== undefined) return new Handover("opening", opening);
      failure = "raised";
      const rv = this.dispatch_request(ctx);
      failure = "failed";
      if (isThenable(rv) || hasPendingBody(rv) || ctx._has_after_request_functions) return new Handover("dispatched", rv);
      const response = this.make_response(rv, ctx);
      const saving = this.#saveSession(ctx, response);
      if (saving !== undefined) return new Handover("saving", saving, response);
      ctx.request.close();
      return response;
    } catch (error) {
      return new Handover(failure, error);
    }
  }

  // Opens the request's session; a promise of it, when open_session gave one, is returned for
  // the caller to await and hand to #acceptSession.
  #openSession(ctx: RequestContext): PromiseLike<unknown> | undefined {
    const sessions = this.session_interface;
    const opened = invokeMethod(sessions, sessions.open_session, this, ctx.request) as unknown;
    if (isThenable(opened)) return opened;
    this.#acceptSession(ctx, opened);
    return undefined;
  }

  #acceptSession(ctx: RequestContext, opened: unknown): void {
    if (opened === null || opened === undefined) {
      ctx.session = this.session_interface.make_null_session(this);
      ctx._session_is_null = true;
    } else ctx.session = opened as SessionMixin;
  }

  *#handle(ctx: RequestContext, propagate: boolean, handover?: Handover): Stage<Response> {
    let error: unknown = null;
    try {
      try {
        if (handover !== undefined) return yield* this.#takeOver(ctx, handover);
        if (appcontext_pushed.receivers.size > 0 && startsAppContext(ctx)) yield* sendSignal(appcontext_pushed, this, {});
        const request = ctx.request;
        if (request.routing_exception === null && hasBody(request)) yield loadBody(request, this.config);
        if (ctx.session === undefined) {
          // Only promises go out to drive(): a plain value is used as it is, saving a round trip.
          const pending = this.#openSession(ctx);
          if (pending !== undefined) this.#acceptSession(ctx, yield pending);
        }
        return yield* this.full_dispatch_request(ctx);
      } catch (e) {
        error = e;
        return yield* this.handle_exception(ctx, e, propagate);
      }
    } finally {
      // A stage with nothing to do (no hooks, not overridden) is skipped: making its generator
      // costs more than the rest of a small request's stage.
      if (this.teardown_request_funcs.size > 0 || request_tearing_down.receivers.size > 0 || this.do_teardown_request !== DEFAULT.do_teardown_request) {
        yield* this.do_teardown_request(ctx, error);
      }
      if (this.teardown_appcontext_funcs.length > 0 || appcontext_tearing_down.receivers.size > 0 || this.do_teardown_appcontext !== DEFAULT.do_teardown_appcontext) {
        yield* this.do_teardown_appcontext(error);
      }
      if (appcontext_popped.receivers.size > 0 && startsAppContext(ctx)) yield* sendSignal(appcontext_popped, this, {});
      ctx.request.close();
    }
  }

  /**
   * preprocess, dispatch, handle user exceptions, finalize: Flask's full_dispatch_request.
   *
   * @example
   * class MyApp extends Flask {
   *   override *full_dispatch_request(ctx: RequestContext) {
   *     const start = performance.now();
   *     try { return yield* super.full_dispatch_request(ctx); } finally { record_timing(performance.now() - start); }
   *   }
   * }
   */
  *full_dispatch_request(ctx: RequestContext): Stage<Response> {
    let rv: unknown;
    let raised = false;
    try {
      if (request_started.receivers.size > 0) yield* sendSignal(request_started, this, {});
      if (this.before_request_funcs.size > 0 || this.url_value_preprocessors.size > 0 || this.preprocess_request !== DEFAULT.preprocess_request) {
        rv = yield* this.preprocess_request(ctx);
      }
      if (rv === undefined || rv === null) rv = this.dispatch_request(ctx);
    } catch (error) {
      rv = error;
      raised = true;
    }
    return yield* this.#finishDispatch(ctx, rv, raised);
  }

  // The rest of full_dispatch_request once the view (or a before_request hook) answered `rv`,
  // or raised it: a promise awaited, an error handled, the response finalized.
  *#finishDispatch(ctx: RequestContext, rv: unknown, raised: boolean): Stage<Response> {
    try {
      if (raised) throw rv;
      if (isThenable(rv)) rv = yield rv;
    } catch (error) {
      rv = yield* this.handle_user_exception(ctx, error);
    }
    // Nothing to finalize but the response itself (no after-request work, no pending body): no stage to run.
    if (this.finalize_request === DEFAULT.finalize_request && !this.#needsProcessResponse(ctx) && !hasPendingBody(rv) && request_finished.receivers.size === 0) {
      return this.make_response(rv, ctx);
    }
    return yield* this.finalize_request(ctx, rv);
  }

  // #handle's part after a hand-over from #handlePlain, which stopped at `handover.at`.
  *#takeOver(ctx: RequestContext, { at, value, response }: Handover): Stage<Response> {
    switch (at) {
      case "failed":
        throw value;
      case "opening":
        this.#acceptSession(ctx, yield value);
        return yield* this.full_dispatch_request(ctx);
      case "saving":
        yield value;
        return response!;
      default:
        return yield* this.#finishDispatch(ctx, value, at === "raised");
    }
  }

  /**
   * url_value_preprocessors, then before_request hooks (app's, then blueprints'); a value ends the request.
   *
   * @example
   * class MyApp extends Flask {
   *   override *preprocess_request(ctx: RequestContext) {
   *     return (yield* super.preprocess_request(ctx)) ?? check_quota(ctx.request);   // a value ends the request
   *   }
   * }
   */
  *preprocess_request(ctx: RequestContext): Stage<unknown> {
    const request = ctx.request;
    const blueprints = request.blueprints;
    for (let i = -1; i < blueprints.length; i++) {
      const name = i === -1 ? null : blueprints[blueprints.length - 1 - i]!;
      for (const fn of this.url_value_preprocessors.get(name) ?? NONE) fn(request.endpoint, request.view_args);
    }
    for (let i = -1; i < blueprints.length; i++) {
      const name = i === -1 ? null : blueprints[blueprints.length - 1 - i]!;
      const funcs = this.before_request_funcs.get(name);
      if (funcs === undefined) continue;
      for (const fn of funcs) {
        const rv = yield invoke(fn);
        if (rv !== undefined && rv !== null) return rv;
      }
    }
    return undefined;
  }

  /**
   * Raises the routing error, answers automatic OPTIONS, or calls the view (its result may be a promise).
   *
   * @example
   * class MyApp extends Flask {
   *   override dispatch_request(ctx: RequestContext) { audit(ctx.request.endpoint); return super.dispatch_request(ctx); }
   * }
   */
  dispatch_request(ctx: RequestContext): unknown {
    const request = ctx.request;
    if (request.routing_exception !== null) throw request.routing_exception;
    const rule = request.url_rule!;
    if (request.method === "OPTIONS" && rule.provide_automatic_options) return this.make_default_options_response(ctx);
    const view = this.view_functions.get(rule.endpoint);
    if (view === undefined) {
      throw new TypeError(`No view function is registered for endpoint '${rule.endpoint}': register one with app.endpoint("${rule.endpoint}", fn).`);
    }
    return invoke(view, request.view_args ?? {});
  }

  /**
   * An HTTP error: its handler's result, or the error itself (its default page).
   *
   * @example
   * class ApiApp extends Flask {   // JSON instead of HTML for unhandled HTTP errors
   *   override *handle_http_exception(ctx: RequestContext, e: HTTPException) {
   *     const rv = yield* super.handle_http_exception(ctx, e); return rv === e ? [{ error: e.name }, e.code] : rv;
   *   }
   * }
   */
  *handle_http_exception(ctx: RequestContext, error: HTTPException): Stage<unknown> {
    // abort(response) raises an exception of no class code: Flask sends its response untouched.
    if (error instanceof RequestRedirect || (error.constructor as typeof HTTPException).code === undefined) return error;
    const handler = this.find_error_handler(error, ctx.request.blueprints);
    return handler === undefined ? error : yield invoke(handler, error);
  }

  /**
   * Errors raised by hooks and views: HTTP errors and registered handlers; others rethrow.
   *
   * @example
   * class MyApp extends Flask {
   *   override *handle_user_exception(ctx: RequestContext, e: unknown) {
   *     metrics.count("error"); return yield* super.handle_user_exception(ctx, e);
   *   }
   * }
   */
  *handle_user_exception(ctx: RequestContext, error: unknown): Stage<unknown> {
    if (error instanceof HTTPException && !this.trap_http_exception(error)) return yield* this.handle_http_exception(ctx, error);
    const handler = this.find_error_handler(error, ctx.request.blueprints);
    if (handler === undefined) throw error;
    return yield invoke(handler, error);
  }

  /**
   * An error no handler took: logged, then the 500 handler (or page). With `propagate`, and no
   * 500 handler, the error is rethrown so the host stack's error middleware sees it.
   *
   * @example
   * class MyApp extends Flask {
   *   override *handle_exception(ctx: RequestContext, e: unknown, propagate: boolean) {
   *     alert_on_call(e); return yield* super.handle_exception(ctx, e, propagate);
   *   }
   * }
   */
  *handle_exception(ctx: RequestContext, error: unknown, propagate: boolean): Stage<Response> {
    if (got_request_exception.receivers.size > 0) yield* sendSignal(got_request_exception, this, { exception: error });
    // Flask re-raises in testing/debug (PROPAGATE_EXCEPTIONS) before looking for a 500 handler.
    if (this.propagate_exceptions) throw error;
    const server_error = new InternalServerError(null, undefined, error);
    server_error.cause = error;
    const handler = this.find_error_handler(server_error, ctx.request.blueprints);
    // Mounted in a host stack, an error no flaskish handler takes goes to the host's error middleware.
    if (handler === undefined && propagate) throw error;
    this.log_exception(ctx, error);
    const rv = handler === undefined ? server_error : yield invoke(handler, server_error);
    return yield* this.finalize_request(ctx, rv, true);
  }

  /**
   * The automatic answer to OPTIONS: an empty response whose Allow lists the methods the URL
   * accepts (Flask's `make_default_options_response`).
   *
   * @example
   * class MyApp extends Flask {
   *   override make_default_options_response(ctx: RequestContext) {
   *     const response = super.make_default_options_response(ctx);
   *     response.headers.set("Access-Control-Allow-Methods", response.headers.get("Allow") ?? ""); return response;
   *   }
   * }
   */
  make_default_options_response(ctx: RequestContext): Response {
    const response = new this.response_class();
    response.headers.set("Allow", ctx.url_adapter.allowed_methods(ctx.request.path).join(", "));
    return response;
  }

  /**
   * Logs an unhandled error with its stack, as Flask does ("Exception on /path [GET]").
   *
   * @example
   * class MyApp extends Flask {
   *   override log_exception(ctx: RequestContext, error: unknown) {
   *     sentry.captureException(error); super.log_exception(ctx, error);
   *   }
   * }
   */
  log_exception(ctx: RequestContext, error: unknown): void {
    this.logger.exception(`Exception on ${ctx.request.path} [${ctx.request.method}]`, exc_info(error));
  }

  /**
   * make_response, then process_response; errors here are logged when already handling one.
   *
   * @example
   * class MyApp extends Flask {
   *   override *finalize_request(ctx: RequestContext, rv: unknown, from_error_handler = false) {
   *     const resp = yield* super.finalize_request(ctx, rv, from_error_handler);
   *     resp.headers.set("X-Served-By", "flaskish"); return resp;
   *   }
   * }
   */
  *finalize_request(ctx: RequestContext, rv: unknown, from_error_handler = false): Stage<Response> {
    if (hasPendingBody(rv)) rv = [yield rv[0], ...rv.slice(1)];
    let response = this.make_response(rv, ctx);
    try {
      if (this.#needsProcessResponse(ctx)) response = yield* this.process_response(ctx, response);
      if (request_finished.receivers.size > 0) yield* sendSignal(request_finished, this, { response });
    } catch (error) {
      if (!from_error_handler) throw error;
      this.logger.exception("Request finalizing failed with an error while handling an error", exc_info(error));
    }
    return response;
  }

  // process_response has work: after-request functions or hooks, a session to save, or an override.
  #needsProcessResponse(ctx: RequestContext): boolean {
    return this.after_request_funcs.size > 0 || ctx._has_after_request_functions || !ctx._session_is_null || this.process_response !== DEFAULT.process_response;
  }

  /**
   * after_this_request functions, after_request hooks (blueprints' first, each list reversed), session save.
   *
   * @example
   * class MyApp extends Flask {
   *   override *process_response(ctx: RequestContext, response: Response) {
   *     response = yield* super.process_response(ctx, response);   // the session is saved by now
   *     response.headers.set("X-Done", "1"); return response;
   *   }
   * }
   */
  *process_response(ctx: RequestContext, response: Response): Stage<Response> {
    if (ctx._has_after_request_functions) {
      for (const fn of ctx._after_request_functions) response = ((yield invoke(fn, response)) as Response | undefined) ?? response;
    }
    const blueprints = ctx.request.blueprints;
    for (let i = 0; i <= blueprints.length; i++) {
      const funcs = this.after_request_funcs.get(i === blueprints.length ? null : blueprints[i]!);
      if (funcs === undefined) continue;
      for (let j = funcs.length - 1; j >= 0; j--) response = ((yield invoke(funcs[j]!, response)) as Response | undefined) ?? response;
    }
    const saving = this.#saveSession(ctx, response);
    if (saving !== undefined) yield saving;
    return response;
  }

  // Saves the request's session unless it is a null one; returns the save's promise, if it gave one.
  #saveSession(ctx: RequestContext, response: Response): PromiseLike<unknown> | undefined {
    const session = ctx.session;
    // A null session made by the pipeline needs no is_null_session() (an instanceof through the session's Proxy).
    if (session === undefined || ctx._session_is_null || this.session_interface.is_null_session(session)) return undefined;
    const sessions = this.session_interface;
    const saved = invokeMethod(sessions, sessions.save_session, this, session, response) as unknown;
    return isThenable(saved) ? saved : undefined;
  }

  /**
   * teardown_request hooks, always, with the unhandled error or null.
   *
   * @example
   * class MyApp extends Flask {
   *   override *do_teardown_request(ctx: RequestContext, error: unknown = null) {
   *     yield* super.do_teardown_request(ctx, error); release_locks();
   *   }
   * }
   */
  *do_teardown_request(ctx: RequestContext, error: unknown = null): Stage<void> {
    const blueprints = ctx.request.blueprints;
    for (let i = 0; i <= blueprints.length; i++) {
      const funcs = this.teardown_request_funcs.get(i === blueprints.length ? null : blueprints[i]!);
      if (funcs === undefined) continue;
      for (let j = funcs.length - 1; j >= 0; j--) yield invoke(funcs[j]!, error);
    }
    if (request_tearing_down.receivers.size > 0) yield* sendSignal(request_tearing_down, this, { exc: error });
  }

  /**
   * teardown_appcontext hooks, always.
   *
   * @example
   * class MyApp extends Flask {
   *   override *do_teardown_appcontext(error: unknown = null) {
   *     yield* super.do_teardown_appcontext(error); pool.release();
   *   }
   * }
   */
  *do_teardown_appcontext(error: unknown = null): Stage<void> {
    for (let i = this.teardown_appcontext_funcs.length - 1; i >= 0; i--) yield invoke(this.teardown_appcontext_funcs[i]!, error);
    if (appcontext_tearing_down.receivers.size > 0) yield* sendSignal(appcontext_tearing_down, this, { exc: error });
  }

  /**
   * Serves the app on node:http (127.0.0.1:5000 by default), without Express. For development;
   * the `flaskish run` command adds reloading and the debug page.
   *
   * @example
   * app.run({ port: 8000, debug: true });
   */
  run(options: RunOptions = {}): Promise<Server> {
    return run_simple(this, options);
  }

  /**
   * A test client for this app (Flask's `app.test_client()`), built on supertest.
   *
   * @example
   * const client = app.test_client();
   * const res = await client.get("/", { query_string: { q: "x" } });
   * expect(res.status_code).to.equal(200);
   */
  test_client(options: { use_cookies?: boolean } = {}): FlaskClient {
    return new FlaskClient(this, options);
  }

  /**
   * A runner that invokes the `flaskish` command in-process (Flask's `app.test_cli_runner()`).
   *
   * @example
   * const result = await app.test_cli_runner().invoke(["routes"]);
   * expect(result.exit_code).to.equal(0);
   */
  test_cli_runner(): FlaskCliRunner {
    return new FlaskCliRunner(this);
  }
}

// The stages as Flask defines them, to tell a subclass's overrides (which always run) from them.
const DEFAULT = Flask.prototype;

// A served request's own app context starts and ends with it, as Flask pushes one per request
// (a pushed test context sends the signals when it is pushed and popped).
const startsAppContext = (ctx: RequestContext): boolean => ctx._owns_app_context && !ctx._pushed;

// Sends one of Flask's signals from the app; an async receiver's promise is awaited, as Flask
// runs async receivers to completion. Callers check for receivers first: the generator itself
// is an allocation a request without receivers should not pay.
function* sendSignal<K extends object>(signal: Signal<K>, app: Flask, kwargs: K): Stage<void> {
  for (const [, value] of signal.send(app, kwargs)) if (isThenable(value)) yield value;
}

/**
 * Where #handlePlain stopped for #handle to go on: at a session being opened or saved (`value`:
 * the promise; `response`: the response being finished), at an error outside the view, or
 * after the view answered or raised `value`.
 */
class Handover {
  constructor(
    readonly at: "opening" | "failed" | "dispatched" | "raised" | "saving",
    readonly value: unknown,
    readonly response?: Response,
  ) {}
}

/** `[render_template(...), 404]` with an async-only engine: the body is a promise inside the tuple. */
function hasPendingBody(rv: unknown): rv is [PromiseLike<unknown>, ...unknown[]] {
  return Array.isArray(rv) && rv.length <= 3 && isThenable(rv[0]);
}
