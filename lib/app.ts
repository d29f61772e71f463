// Flask: the application object. Owns registration (rules, blueprints), configuration and
// the request pipeline with Flask's stage names: preprocess_request, dispatch_request,
// handle_user_exception, handle_exception, finalize_request (make_response, process_response),
// do_teardown_request. Never touches Node's req/res: express-adapter.ts does.

import fs from "node:fs";
import path from "node:path";
import { Blueprint, type RegisterOptions } from "./blueprint.js";
import { Config, defaultConfig, type ConfigMapping } from "./config.js";
import { AppContext, AppCtxGlobals, RequestContext, requestContext, runInContext } from "./context.js";
import { HTTPException, InternalServerError, NotFound, RequestRedirect } from "./http-exceptions.js";
import { DefaultJSONProvider } from "./json-provider.js";
import { create_logger, type Logger } from "./logging.js";
import { drive, type Stage } from "./coroutine.js";
import { makeResponse } from "./make-response.js";
import { Request, type Environ } from "./request.js";
import { loadBody, parseBufferedBody } from "./request-body.js";
import { Response } from "./response.js";
import { Rule } from "./rule.js";
import { Scaffold, type RouteOptions, type View } from "./scaffold.js";
import { DefaultSessionInterface } from "./express-session-interface.js";
import type { SessionInterface, SessionMixin } from "./session-interface.js";
import { send_from_directory } from "./static-files.js";
import { UrlMap } from "./url-map.js";
import { FlaskClient } from "./testing.js";
import { FlaskCliRunner } from "./cli/runner.js";
import { quote } from "./urls.js";
import { run_simple, type RunOptions } from "./serving.js";
import type { Server } from "node:http";

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

/** Whether the request says it has a body (only then is the body machinery involved). */
function hasBody(environ: Environ): boolean {
  const headers = environ.headers;
  const length = headers["content-length"];
  return (length !== undefined && length !== "0") || headers["transfer-encoding"] !== undefined;
}

export interface FlaskOptions {
  /** URL path of the static route; default "/" + basename of static_folder. */
  static_url_path?: string | null;
  /** Folder of static files, relative to root_path; null for none. Default "static". */
  static_folder?: string | null;
  static_host?: string | null;
  host_matching?: boolean;
  subdomain_matching?: boolean;
  /** Folder of templates, relative to root_path. Default "templates". */
  template_folder?: string | null;
  instance_path?: string;
  instance_relative_config?: boolean;
  root_path?: string;
}

/** Values url_for() understands besides the rule's own (Flask's underscore arguments). */
export interface UrlForValues {
  _external?: boolean;
  _scheme?: string;
  _anchor?: string;
  _method?: string;
  [name: string]: unknown;
}

function baseName(import_name: string, root_path: string): string {
  if (import_name.startsWith("file:") || path.isAbsolute(import_name)) {
    const file = import_name.startsWith("file:") ? new URL(import_name).pathname : import_name;
    const stem = path.basename(file).replace(/\.[cm]?[jt]sx?$/, "");
    return stem === "index" ? path.basename(root_path) : stem;
  }
  return import_name;
}

/**
 * A Flask application: register views, hooks and error handlers on it, then mount it in
 * Express with `flaskish(app)` or serve it with `app.run()`.
 *
 * @example
 * const app = new Flask(import.meta.url);
 * app.route("/", function hello_world() { return "<p>Hello, World!</p>"; });
 * express().use(flaskish(app)).listen(3000);
 */
export class Flask extends Scaffold {
  readonly name: string;
  readonly config: ConfigMapping;
  readonly url_map: UrlMap;
  readonly blueprints = new Map<string, Blueprint>();
  /** The JSON provider used for dict/list returns and jsonify(). */
  json: DefaultJSONProvider;
  /**
   * How sessions load and save. The default uses the host stack's express-session when the
   * request has `req.session`, and Flask's signed cookie otherwise.
   */
  session_interface: SessionInterface = new DefaultSessionInterface();
  app_ctx_globals_class: new () => AppCtxGlobals = AppCtxGlobals;
  response_class: typeof Response = Response;
  request_class: typeof Request = Request;
  static_host: string | null;
  readonly teardown_appcontext_funcs: ((error: unknown) => unknown)[] = [];
  /** Extensions keep their state here, as in Flask. */
  readonly extensions: Record<string, unknown> = {};
  #logger: Logger | undefined;

  constructor(import_name: string, options: FlaskOptions = {}) {
    const root_path = options.root_path;
    super(import_name, {
      ...(root_path !== undefined ? { root_path } : {}),
      static_folder: options.static_folder === undefined ? "static" : options.static_folder,
      static_url_path: options.static_url_path ?? null,
      template_folder: options.template_folder === undefined ? "templates" : options.template_folder,
    });
    this.name = baseName(import_name, this.root_path);
    this.config = new Config(this.root_path, defaultConfig()) as ConfigMapping;
    this.url_map = new UrlMap();
    this.json = new DefaultJSONProvider(this);
    this.static_host = options.static_host ?? null;
    if (this.static_folder !== null) this.#addStaticRoute(options.static_folder !== undefined);
  }

  // Flask always adds the static route; for apps mounted beside other Express routes we add it
  // only when the folder exists or was configured, so /static of the host stack is not shadowed.
  #addStaticRoute(explicit: boolean): void {
    const folder = path.resolve(this.root_path, this.static_folder!);
    if (!explicit && !fs.existsSync(folder)) return;
    const url = (this.static_url_path ?? `/${path.basename(folder)}`).replace(/\/+$/, "");
    this.add_url_rule(`${url}/<path:filename>`, { endpoint: "static", ...(this.static_host ? { host: this.static_host } : {}) }, ({ filename }: { filename: string }) => this.send_static_file(filename));
  }

  // --- configuration mirrors -------------------------------------------------------------

  get debug(): boolean {
    return Boolean(this.config.DEBUG);
  }
  set debug(value: boolean) {
    this.config.DEBUG = value;
  }
  get testing(): boolean {
    return Boolean(this.config.TESTING);
  }
  set testing(value: boolean) {
    this.config.TESTING = value;
  }
  get secret_key(): string | Buffer | null {
    return (this.config.SECRET_KEY as string | Buffer | null) ?? null;
  }
  set secret_key(value: string | Buffer | null) {
    this.config.SECRET_KEY = value;
  }

  /** The app's logger (Flask's `app.logger`); assign your own logger to replace it. */
  get logger(): Logger {
    return (this.#logger ??= create_logger(this));
  }
  set logger(value: Logger) {
    this.#logger = value;
  }

  // --- registration ----------------------------------------------------------------------

  /**
   * Registers a rule (Flask's `add_url_rule`). The endpoint defaults to the view function's
   * name; an anonymous view gets the rule string as its endpoint.
   */
  add_url_rule(rule: string, options: RouteOptions = {}, view_func?: View<any>): void {
    const { endpoint: given, provide_automatic_options, ...ruleOptions } = options;
    let endpoint = given ?? (view_func?.name || rule);
    const methods = new Set([...(options.methods ?? ["GET"])].map((m) => {
      if (typeof m !== "string") throw new TypeError(`Allowed methods must be a list of strings, for example ["GET", "POST"]; got ${typeof m}.`);
      return m.toUpperCase();
    }));
    const automatic = provide_automatic_options ?? (!methods.has("OPTIONS") && this.config.PROVIDE_AUTOMATIC_OPTIONS !== false);
    if (automatic) methods.add("OPTIONS");
    if (view_func !== undefined) {
      const existing = this.view_functions.get(endpoint);
      if (existing !== undefined && existing !== view_func) {
        if (given === undefined && !view_func.name) {
          // Two anonymous views on one rule (app.get + app.post): keep them apart by method.
          endpoint = `${rule} ${[...methods].filter((m) => m !== "OPTIONS").join(",")}`;
        } else {
          throw new TypeError(
            `View function mapping is overwriting an existing endpoint function: ${endpoint}. ` +
              "Give the view function another name, or pass { endpoint: \"...\" } to route().",
          );
        }
      }
    }
    const compiled = new Rule(rule, { ...ruleOptions, endpoint, methods });
    compiled.provide_automatic_options = automatic;
    this.url_map.add(compiled);
    if (view_func !== undefined) this.view_functions.set(endpoint, view_func);
  }

  /** Registers a view for an endpoint that already has a rule (Flask's `@app.endpoint`). */
  endpoint<F extends View<any>>(endpoint: string, f: F): F {
    this.view_functions.set(endpoint, f);
    return f;
  }

  /** Registers a blueprint's routes, hooks and handlers on this app. */
  register_blueprint(blueprint: Blueprint, options: RegisterOptions = {}): void {
    blueprint.register(this, options);
  }

  /** Called when the app context ends (after teardown_request). */
  teardown_appcontext<F extends (error: unknown) => unknown>(f: F): F {
    this.teardown_appcontext_funcs.push(f);
    return f;
  }

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

  /** A request context for an Environ (what the adapter and test contexts build). */
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
    options: { method?: string; headers?: Record<string, string>; query_string?: string | Record<string, string>; base_url?: string; data?: string | Buffer; content_type?: string; json?: unknown } = {},
  ): RequestContext {
    const base = new URL(options.base_url ?? `http://${(this.config.SERVER_NAME as string | null) ?? "localhost"}${(this.config.APPLICATION_ROOT as string).replace(/\/+$/, "")}/`);
    const [rawPath = "/", rawQuery = ""] = target.split("?", 2) as [string, string?];
    const query = options.query_string === undefined ? rawQuery : typeof options.query_string === "string" ? options.query_string : new URLSearchParams(options.query_string).toString();
    const headers: Record<string, string> = { host: base.host };
    for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
    let body: Buffer | undefined;
    if (options.json !== undefined) {
      body = Buffer.from(this.json.dumps(options.json));
      headers["content-type"] = "application/json";
    } else if (options.data !== undefined) {
      body = Buffer.from(options.data);
    }
    if (options.content_type !== undefined) headers["content-type"] = options.content_type;
    if (body !== undefined) headers["content-length"] = String(body.length);
    const environ: Environ = {
      method: (options.method ?? "GET").toUpperCase(),
      scheme: base.protocol.replace(":", ""),
      host: headers.host ?? base.host,
      script_name: base.pathname.replace(/\/+$/, ""),
      raw_path: encodeURI(rawPath.startsWith("/") ? rawPath : `/${rawPath}`).replace(/%25([0-9A-Fa-f]{2})/g, "%$1"),
      query_string: query,
      headers,
      remote_addr: "127.0.0.1",
      ...(body !== undefined ? { body } : {}),
    };
    const ctx = this.request_context(environ);
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
    this.match_request(ctx.request);
    if (fallthrough && ctx.request.routing_exception instanceof NotFound) return FALLTHROUGH;
    return this.handle(ctx, { propagate });
  }

  /** Routes the request: sets url_rule and view_args, or routing_exception. */
  match_request(request: Request): void {
    try {
      const { rule, args } = this.url_map.match(request.path, request.method, request.query_string);
      request.url_rule = rule;
      request.view_args = args;
    } catch (error) {
      if (error instanceof RequestRedirect && !/^[a-z][a-z0-9+.-]*:/i.test(error.new_url)) {
        error.new_url = `${request.scheme}://${request.host}${request.environ.script_name.replace(/\/+$/, "")}${error.new_url}`;
      }
      request.routing_exception = error as Error;
    }
  }

  /**
   * Handles one request context end to end and gives the response to send: synchronously when
   * every hook, the view and the session backend are synchronous, else as a promise.
   * `propagate` rethrows unhandled errors (for the host's error middleware) instead of the 500 page.
   *
   * The stages below are generator functions named after Flask's; each `yield` hands a user
   * hook's result to lib/coroutine.ts, which awaits it only when it is a promise.
   */
  handle(ctx: RequestContext, { propagate = false }: { propagate?: boolean } = {}): Response | Promise<Response> {
    return runInContext(ctx, () => drive(this.#handle(ctx, propagate)));
  }

  *#handle(ctx: RequestContext, propagate: boolean): Stage<Response> {
    let error: unknown = null;
    try {
      try {
        const request = ctx.request;
        if (request.routing_exception === null && hasBody(request.environ)) yield loadBody(request, this.config);
        if (ctx.session === undefined) {
          const opened = (yield this.session_interface.open_session(this, request)) as SessionMixin | null;
          ctx.session = opened ?? this.session_interface.make_null_session(this);
        }
        return yield* this.full_dispatch_request(ctx);
      } catch (e) {
        error = e;
        return yield* this.handle_exception(ctx, e, propagate);
      }
    } finally {
      yield* this.do_teardown_request(ctx, error);
      yield* this.do_teardown_appcontext(error);
      ctx.request.close();
    }
  }

  /** preprocess, dispatch, handle user exceptions, finalize: Flask's full_dispatch_request. */
  *full_dispatch_request(ctx: RequestContext): Stage<Response> {
    let rv: unknown;
    try {
      rv = yield* this.preprocess_request(ctx);
      if (rv === undefined || rv === null) rv = yield this.dispatch_request(ctx);
    } catch (error) {
      rv = yield* this.handle_user_exception(ctx, error);
    }
    return yield* this.finalize_request(ctx, rv);
  }

  /** url_value_preprocessors, then before_request hooks (app's, then blueprints'); a value ends the request. */
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
        const rv = yield fn();
        if (rv !== undefined && rv !== null) return rv;
      }
    }
    return undefined;
  }

  /** Raises the routing error, answers automatic OPTIONS, or calls the view (its result may be a promise). */
  dispatch_request(ctx: RequestContext): unknown {
    const request = ctx.request;
    if (request.routing_exception !== null) throw request.routing_exception;
    const rule = request.url_rule!;
    if (request.method === "OPTIONS" && rule.provide_automatic_options) {
      const response = new this.response_class();
      response.headers.set("Allow", this.url_map.allowed_methods(request.path).join(", "));
      return response;
    }
    const view = this.view_functions.get(rule.endpoint);
    if (view === undefined) {
      throw new TypeError(`No view function is registered for endpoint '${rule.endpoint}': register one with app.endpoint("${rule.endpoint}", fn).`);
    }
    return view(request.view_args ?? {});
  }

  /** Finds the handler for an error: by code, then along the class chain; blueprints first. */
  find_error_handler(error: unknown, blueprints: string[]): ((e: any) => unknown) | undefined {
    const code = error instanceof HTTPException ? error.code : null;
    const codes = code === null ? [null] : [code, null];
    for (const c of codes) {
      for (const name of [...blueprints, null]) {
        const byClass = this.error_handler_spec.get(name)?.get(c);
        if (byClass === undefined) continue;
        for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
          const handler = byClass.get(proto.constructor);
          if (handler !== undefined) return handler;
        }
      }
    }
    return undefined;
  }

  /** An HTTP error: its handler's result, or the error itself (its default page). */
  *handle_http_exception(ctx: RequestContext, error: HTTPException): Stage<unknown> {
    if (error instanceof RequestRedirect) return error;
    const handler = this.find_error_handler(error, ctx.request.blueprints);
    return handler === undefined ? error : yield handler(error);
  }

  /** Whether an HTTP error should propagate instead of being handled (TRAP_* config keys). */
  trap_http_exception(error: HTTPException): boolean {
    if (this.config.TRAP_HTTP_EXCEPTIONS) return true;
    const trapBad = this.config.TRAP_BAD_REQUEST_ERRORS;
    if (trapBad === null || trapBad === undefined) return this.debug && error.constructor.name === "BadRequestKeyError";
    return Boolean(trapBad) && error.code === 400;
  }

  /** Errors raised by hooks and views: HTTP errors and registered handlers; others rethrow. */
  *handle_user_exception(ctx: RequestContext, error: unknown): Stage<unknown> {
    if (error instanceof HTTPException && !this.trap_http_exception(error)) return yield* this.handle_http_exception(ctx, error);
    const handler = this.find_error_handler(error, ctx.request.blueprints);
    if (handler === undefined) throw error;
    return yield handler(error);
  }

  /** Whether unhandled errors propagate (PROPAGATE_EXCEPTIONS, else testing or debug). */
  get propagate_exceptions(): boolean {
    const configured = this.config.PROPAGATE_EXCEPTIONS;
    return configured === null || configured === undefined ? this.testing || this.debug : Boolean(configured);
  }

  /**
   * An error no handler took: logged, then the 500 handler (or page). With `propagate`, and no
   * 500 handler, the error is rethrown so the host stack's error middleware sees it.
   */
  *handle_exception(ctx: RequestContext, error: unknown, propagate: boolean): Stage<Response> {
    const server_error = new InternalServerError(null, undefined, error);
    server_error.cause = error;
    const handler = this.find_error_handler(server_error, ctx.request.blueprints);
    if (handler === undefined && (propagate || this.propagate_exceptions)) throw error;
    this.log_exception(ctx, error);
    const rv = handler === undefined ? server_error : yield handler(server_error);
    return yield* this.finalize_request(ctx, rv, true);
  }

  /** Logs an unhandled error with its stack, as Flask does ("Exception on /path [GET]"). */
  log_exception(ctx: RequestContext, error: unknown): void {
    this.logger.exception(`Exception on ${ctx.request.path} [${ctx.request.method}]`, error);
  }

  /** make_response, then process_response; errors here are logged when already handling one. */
  *finalize_request(ctx: RequestContext, rv: unknown, from_error_handler = false): Stage<Response> {
    // [render_template(...), 404] with an async-only engine: the body is a promise inside the tuple.
    if (Array.isArray(rv) && rv.length <= 3 && typeof (rv[0] as PromiseLike<unknown> | undefined)?.then === "function") {
      rv = [yield rv[0], ...rv.slice(1)];
    }
    let response = this.make_response(rv, ctx);
    try {
      response = yield* this.process_response(ctx, response);
    } catch (error) {
      if (!from_error_handler) throw error;
      this.logger.exception("Request finalizing failed with an error while handling an error", error);
    }
    return response;
  }

  /** Converts a view's return value (see make-response.ts for the table). */
  make_response(rv: unknown, ctx: RequestContext | undefined = requestContext()): Response {
    const response = makeResponse(rv, this.json, ctx?.request.endpoint ?? null);
    response.max_cookie_size = Number(this.config.MAX_COOKIE_SIZE);
    return response;
  }

  /** after_this_request functions, after_request hooks (blueprints' first, each list reversed), session save. */
  *process_response(ctx: RequestContext, response: Response): Stage<Response> {
    for (const fn of ctx._after_request_functions) response = ((yield fn(response)) as Response | undefined) ?? response;
    const blueprints = ctx.request.blueprints;
    for (let i = 0; i <= blueprints.length; i++) {
      const funcs = this.after_request_funcs.get(i === blueprints.length ? null : blueprints[i]!);
      if (funcs === undefined) continue;
      for (let j = funcs.length - 1; j >= 0; j--) response = ((yield funcs[j]!(response)) as Response | undefined) ?? response;
    }
    const session = ctx.session;
    if (session !== undefined && !this.session_interface.is_null_session(session)) {
      yield this.session_interface.save_session(this, session, response);
    }
    return response;
  }

  /** teardown_request hooks, always, with the unhandled error or null. */
  *do_teardown_request(ctx: RequestContext, error: unknown = null): Stage<void> {
    const blueprints = ctx.request.blueprints;
    for (let i = 0; i <= blueprints.length; i++) {
      const funcs = this.teardown_request_funcs.get(i === blueprints.length ? null : blueprints[i]!);
      if (funcs === undefined) continue;
      for (let j = funcs.length - 1; j >= 0; j--) yield funcs[j]!(error);
    }
  }

  /** teardown_appcontext hooks, always. */
  *do_teardown_appcontext(error: unknown = null): Stage<void> {
    for (let i = this.teardown_appcontext_funcs.length - 1; i >= 0; i--) yield this.teardown_appcontext_funcs[i]!(error);
  }

  // --- URL building ----------------------------------------------------------------------

  /** Calls url_defaults hooks for the endpoint's blueprints and the app. */
  inject_url_defaults(endpoint: string, values: Record<string, unknown>): void {
    const names: (string | null)[] = [null];
    if (endpoint.includes(".")) {
      const parts = endpoint.split(".").slice(0, -1);
      for (let i = 1; i <= parts.length; i++) names.push(parts.slice(0, i).join("."));
    }
    for (const name of names) for (const fn of this.url_default_functions.get(name) ?? []) fn(endpoint, values);
  }

  /**
   * Builds a URL to an endpoint (Flask's `app.url_for`); prefer the `url_for` function.
   * Inside a request, URLs are relative to the mount point; outside one, SERVER_NAME is needed.
   */
  url_for(endpoint: string, values: UrlForValues = {}): string {
    const { _external, _scheme, _anchor, _method, ...rest } = values;
    const ctx = requestContext();
    let external: boolean;
    let scheme: string;
    let host: string;
    let scriptName: string;
    if (ctx !== undefined && ctx.app === this) {
      if (endpoint.startsWith(".")) {
        const bp = ctx.request.blueprint;
        endpoint = bp === null ? endpoint.slice(1) : `${bp}${endpoint}`;
      }
      external = _external ?? false;
      scheme = ctx.request.scheme;
      host = ctx.request.host;
      scriptName = ctx.request.environ.script_name.replace(/\/+$/, "");
    } else {
      const serverName = this.config.SERVER_NAME as string | null;
      if (!serverName) {
        throw new Error(
          "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed.",
        );
      }
      if (endpoint.startsWith(".")) endpoint = endpoint.slice(1);
      external = _external ?? true;
      scheme = this.config.PREFERRED_URL_SCHEME as string;
      host = serverName;
      scriptName = quote(String(this.config.APPLICATION_ROOT ?? "/").replace(/\/+$/, ""));
    }
    if (_scheme !== undefined) {
      if (!external) throw new TypeError("When specifying '_scheme', '_external' must be true.");
      scheme = _scheme;
    }
    this.inject_url_defaults(endpoint, rest);
    let url = this.url_map.build(endpoint, rest, _method === undefined ? {} : { method: _method });
    if (endpoint === "static" && this.static_host && ctx !== undefined) {
      external = true;
      host = this.static_host;
    }
    url = scriptName + url;
    if (external) url = `${scheme}://${host}${url}`;
    if (_anchor !== undefined) url += `#${quote(String(_anchor), "%!#$&'()*+,/:;=?@")}`;
    return url;
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

  /** A runner that invokes the `flaskish` command in-process (Flask's `app.test_cli_runner()`). */
  test_cli_runner(): FlaskCliRunner {
    return new FlaskCliRunner(this);
  }

  // --- static files ----------------------------------------------------------------------

  /** Serves a file of the static folder (the `static` endpoint's view). */
  send_static_file(filename: string, owner: { root_path: string; static_folder: string | null } = this): Promise<Response> | Response {
    if (owner.static_folder === null) throw new NotFound();
    const max_age = this.config.SEND_FILE_MAX_AGE_DEFAULT as number | null;
    return send_from_directory(path.resolve(owner.root_path, owner.static_folder), filename, { max_age });
  }
}

