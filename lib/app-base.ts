// App: what Flask's sansio App holds, the application minus request handling. Owns
// configuration, registration (rules, blueprints, the static route), URL building and the
// lookups the pipeline asks for (error handlers, trapping, the response table). app.ts adds the
// request pipeline and contexts on top; nothing here touches a request.

import fs from "node:fs";
import path from "node:path";
import type { Blueprint, RegisterOptions } from "./blueprint.js";
import { AppGroup } from "./cli/app-group.js";
import { Config, defaultConfig, type ConfigMapping } from "./config.js";
import { AppCtxGlobals, g, requestContext, type RequestContext } from "./context.js";
import { findErrorHandler } from "./error-handlers.js";
import { HTTPException, NotFound, makeAborter, redirectResponse, type Aborter } from "./http-exceptions.js";
import { DefaultJSONProvider } from "./json-provider.js";
import { create_logger, type Logger } from "./logging.js";
import { makeResponse } from "./make-response.js";
import { Request } from "./request.js";
import { ResourceFile, type FileMode } from "./resources.js";
import { Response } from "./response.js";
import { Rule } from "./rule.js";
import type { SansioRequest } from "./sansio-request.js";
import { byMethods, ruleMethods, Scaffold, type RouteOptions, type View } from "./scaffold.js";
import { send_from_directory } from "./static-files.js";
import type { MapAdapter } from "./url-adapter.js";
import { BuildError } from "./url-build.js";
import { buildUrl } from "./url-for.js";
import { UrlMap } from "./url-map.js";
import { quote } from "./urls.js";

/** Options of `new Flask(import_name, options)`, as Flask's constructor keyword arguments. */
export interface FlaskOptions {
  /** URL path of the static route; default "/" + basename of static_folder. */
  static_url_path?: string | null;
  /** Folder of static files, relative to root_path; null for none. Default "static". */
  static_folder?: string | null;
  /** With host_matching: the host static files are served on. */
  static_host?: string | null;
  /** Rules match on the request's host (`host: "<name>.example.org"`); needs static_host, or static_folder: null. */
  host_matching?: boolean;
  /** Rules match on the subdomain of SERVER_NAME the request came to (`subdomain: "<user>"`). */
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
 * The application without request handling (Flask's sansio `App`); {@link Flask} is the class
 * to use.
 */
export class App extends Scaffold {
  readonly name: string;
  readonly config: ConfigMapping;
  readonly url_map: UrlMap;
  readonly blueprints = new Map<string, Blueprint>();
  /** Custom commands: `app.cli.command("init-db", fn)` makes `flaskish init-db`. */
  readonly cli: AppGroup;
  /** The JSON provider used for dict/list returns and jsonify(). */
  json: DefaultJSONProvider;
  app_ctx_globals_class: new () => AppCtxGlobals = AppCtxGlobals;
  response_class: typeof Response = Response;
  request_class: typeof Request = Request;
  static_host: string | null;
  /** Whether rules match on the request's subdomain of SERVER_NAME (else on the default subdomain). */
  subdomain_matching: boolean;
  readonly teardown_appcontext_funcs: ((error: unknown) => unknown)[] = [];
  /** What abort() raises through (Flask's `app.aborter`, made by make_aborter()). */
  aborter: Aborter;
  /** Functions whose returned objects add names to `flaskish shell` (see shell_context_processor). */
  readonly shell_context_processors: (() => Record<string, unknown>)[] = [];
  /**
   * A folder for files the app writes and that are not deployed with it (Flask's instance
   * folder): `instance/` beside the app's module unless given; the config's folder with
   * `instance_relative_config`.
   */
  readonly instance_path: string;
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
    this.cli = new AppGroup(this.name);
    if (options.instance_path !== undefined && !path.isAbsolute(options.instance_path)) {
      throw new Error(`If an instance path is provided it must be absolute. A relative path was given instead: ${JSON.stringify(options.instance_path)}; use path.resolve(...).`);
    }
    this.instance_path = options.instance_path ?? path.join(this.root_path, "instance");
    this.config = new Config(options.instance_relative_config ? this.instance_path : this.root_path, defaultConfig()) as ConfigMapping;
    this.url_map = new UrlMap({ host_matching: options.host_matching ?? false });
    this.subdomain_matching = options.subdomain_matching ?? false;
    this.json = new DefaultJSONProvider(this);
    this.aborter = this.make_aborter();
    this.static_host = options.static_host ?? null;
    if (this.static_folder !== null && Boolean(this.static_host) !== this.url_map.host_matching) {
      throw new Error(
        this.url_map.host_matching
          ? "Invalid static_host/host_matching combination: with host_matching, give static_host (the host static files are served on), or static_folder: null for an app without static files."
          : "Invalid static_host/host_matching combination: static_host only applies with host_matching: true.",
      );
    }
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

  /**
   * Mirrors the DEBUG config key (Flask's `app.debug`).
   *
   * @example
   * app.debug = true;   // same as app.config.DEBUG = true
   */
  get debug(): boolean {
    return Boolean(this.config.DEBUG);
  }
  set debug(value: boolean) {
    this.config.DEBUG = value;
  }
  /**
   * Mirrors the TESTING config key (Flask's `app.testing`).
   *
   * @example
   * app.testing = true;   // errors propagate to the test instead of becoming 500 pages
   */
  get testing(): boolean {
    return Boolean(this.config.TESTING);
  }
  set testing(value: boolean) {
    this.config.TESTING = value;
  }
  /**
   * Mirrors the SECRET_KEY config key (Flask's `app.secret_key`), which signs sessions and flashes.
   *
   * @example
   * app.secret_key = process.env.SECRET_KEY ?? null;   // signs the session cookie
   */
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
   *
   * @example
   * app.add_url_rule("/", { endpoint: "index" }, index);
   * app.add_url_rule("/users/<int:id>", { methods: ["GET", "POST"] }, function user({ id }) { return `User ${id}`; });
   */
  add_url_rule(rule: string, options: RouteOptions = {}, view_func?: View<any>): void {
    const { endpoint: given, provide_automatic_options, ...ruleOptions } = options;
    let endpoint = given ?? (view_func?.name || rule);
    const methods = ruleMethods(options, view_func);
    // A view function may say whether it takes OPTIONS itself (a class-based view's as_view() does).
    const carried = view_func as { provide_automatic_options?: boolean } | undefined;
    const automatic = provide_automatic_options ?? carried?.provide_automatic_options ?? (!methods.has("OPTIONS") && this.config.PROVIDE_AUTOMATIC_OPTIONS !== false);
    if (automatic) methods.add("OPTIONS");
    if (view_func !== undefined) {
      const existing = this.view_functions.get(endpoint);
      if (existing !== undefined && existing !== view_func) {
        if (given === undefined && !view_func.name) {
          // Two anonymous views on one rule (app.get + app.post): keep them apart by method.
          endpoint = byMethods(rule, methods);
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

  /**
   * Registers a view for an endpoint that already has a rule (Flask's `@app.endpoint`).
   *
   * @example
   * app.add_url_rule("/", { endpoint: "index" });
   * app.endpoint("index", () => "Hello");
   */
  endpoint<F extends View<any>>(endpoint: string, f: F): F {
    this.view_functions.set(endpoint, f);
    return f;
  }

  /**
   * Registers a blueprint's routes, hooks and handlers on this app.
   *
   * @example
   * app.register_blueprint(admin, { url_prefix: "/admin" });
   * app.register_blueprint(admin, { name: "admin2", url_prefix: "/admin2" });   // the same blueprint twice
   */
  register_blueprint(blueprint: Blueprint, options: RegisterOptions = {}): void {
    blueprint.register(this, options);
  }

  /**
   * Called when the app context ends (after teardown_request).
   *
   * @example
   * app.teardown_appcontext(() => g.pop("db", null)?.close());
   */
  teardown_appcontext<F extends (error: unknown) => unknown>(f: F): F {
    this.teardown_appcontext_funcs.push(f);
    return f;
  }

  /**
   * Finds the handler for an error: by code, then along the class chain; blueprints first.
   *
   * @example
   * const handler = app.find_error_handler(new NotFound(), []);   // the 404 handler, or undefined
   */
  find_error_handler(error: unknown, blueprints: readonly string[]): ((e: any) => unknown) | undefined {
    return findErrorHandler(this.error_handler_spec, error, blueprints);
  }

  /**
   * Whether an HTTP error should propagate instead of being handled (TRAP_* config keys).
   *
   * @example
   * app.config.TRAP_HTTP_EXCEPTIONS = true;
   * app.trap_http_exception(new NotFound());   // true: it propagates like any error
   */
  trap_http_exception(error: HTTPException): boolean {
    if (this.config.TRAP_HTTP_EXCEPTIONS) return true;
    const trapBad = this.config.TRAP_BAD_REQUEST_ERRORS;
    if (trapBad === null || trapBad === undefined) return this.debug && error.constructor.name === "BadRequestKeyError";
    return Boolean(trapBad) && error.code === 400;
  }

  /** Whether unhandled errors propagate (PROPAGATE_EXCEPTIONS, else testing or debug). */
  get propagate_exceptions(): boolean {
    const configured = this.config.PROPAGATE_EXCEPTIONS;
    return configured === null || configured === undefined ? this.testing || this.debug : Boolean(configured);
  }

  /**
   * Converts a view's return value (see make-response.ts for the table).
   *
   * @example
   * const resp = app.make_response(["Created", 201, { Location: "/items/1" }]);
   * resp.status_code;   // 201
   */
  make_response(rv: unknown, ctx: RequestContext | undefined = requestContext()): Response {
    const response = makeResponse(rv, this.json, ctx?.request.endpoint ?? null, this.response_class);
    response.max_cookie_size = Number(this.config.MAX_COOKIE_SIZE);
    return response;
  }

  // --- URL building ----------------------------------------------------------------------

  /**
   * Calls url_defaults hooks for the endpoint's blueprints and the app.
   *
   * @example
   * const values: Record<string, unknown> = {};
   * app.inject_url_defaults("blog.post", values);   // url_defaults hooks of "blog" and the app fill `values`
   */
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
   *
   * @example
   * app.test_request_context().run(() => app.url_for("index"));   // "/"
   */
  url_for(endpoint: string, values: UrlForValues = {}): string {
    return buildUrl(this, endpoint, values);
  }

  /**
   * Functions url_for() asks when it cannot build a URL: the first to return a string gives the
   * URL; one that throws a BuildError replaces the error (Flask's `url_build_error_handlers`).
   *
   * @example
   * app.url_build_error_handlers.push((error, endpoint, values) => endpoint.startsWith("legacy.") ? `https://old.example.com/${endpoint}` : null);
   */
  readonly url_build_error_handlers: ((error: BuildError, endpoint: string, values: Record<string, unknown>) => string | null | undefined)[] = [];

  /**
   * What url_for() does with a BuildError: the url_build_error_handlers' URL, else the error
   * thrown again (Flask's `handle_url_build_error`).
   */
  handle_url_build_error(error: BuildError, endpoint: string, values: Record<string, unknown>): string {
    for (const handler of this.url_build_error_handlers) {
      let rv: string | null | undefined;
      try {
        rv = handler(error, endpoint, values);
      } catch (raised) {
        if (!(raised instanceof BuildError)) throw raised;
        error = raised;
        continue;
      }
      if (rv !== null && rv !== undefined) return rv;
    }
    throw error;
  }

  /**
   * The URL map bound to a request's host (Flask's `create_url_adapter`), or outside a request
   * to SERVER_NAME (null without it). With subdomain_matching the subdomain is the part of the
   * host before SERVER_NAME; without it, the map's default subdomain. With host_matching the
   * request's host is used as it is. SERVER_NAME, when set, is the host of redirects and
   * external URLs.
   *
   * @example
   * app.config.SERVER_NAME = "example.com";
   * app.create_url_adapter(null)?.build("index", {}, { force_external: true });   // "http://example.com/"
   */
  create_url_adapter(request: SansioRequest | null): MapAdapter | null {
    const serverName = (this.config.SERVER_NAME as string | null) || undefined;
    if (request !== null) {
      if (this.url_map.host_matching) return this.url_map.bind_to_environ(request.environ);
      const subdomain = this.subdomain_matching ? undefined : this.url_map.default_subdomain;
      return this.url_map.bind_to_environ(request.environ, {
        ...(serverName !== undefined && { server_name: serverName }),
        ...(subdomain !== undefined && { subdomain }),
      });
    }
    if (serverName === undefined) return null;
    return this.url_map.bind(serverName, {
      script_name: quote(String(this.config.APPLICATION_ROOT ?? "/")),
      url_scheme: String(this.config.PREFERRED_URL_SCHEME ?? "http"),
    });
  }

  /**
   * Opens a file of the instance folder, for reading or writing (Flask's
   * `open_instance_resource`): bytes by default, text with a mode without "b".
   *
   * @example
   * { using f = app.open_instance_resource("state.json", "w"); f.write(JSON.stringify(state)); }
   */
  open_instance_resource(resource: string, mode?: "rb" | "wb" | "ab" | "xb" | "r+b" | "w+b" | "a+b"): ResourceFile<Buffer>;
  open_instance_resource(resource: string, mode: Exclude<FileMode, "rb" | "wb" | "ab" | "xb" | "r+b" | "w+b" | "a+b">, encoding?: BufferEncoding): ResourceFile<string>;
  open_instance_resource(resource: string, mode: FileMode = "rb", encoding: BufferEncoding = "utf8"): ResourceFile {
    return new ResourceFile(path.join(this.instance_path, resource), mode, encoding);
  }

  // --- shell -----------------------------------------------------------------------------

  /**
   * Registers a function whose returned names `flaskish shell` defines (Flask's decorator).
   *
   * @example
   * app.shell_context_processor(() => ({ db, User }));
   */
  shell_context_processor<F extends () => Record<string, unknown>>(fn: F): F {
    this.shell_context_processors.push(fn);
    return fn;
  }

  /**
   * The names `flaskish shell` starts with: `app`, `g` and those of every shell context
   * processor (Flask's make_shell_context).
   *
   * @example
   * app.make_shell_context();   // { app, g, ...processors' names }
   */
  make_shell_context(): Record<string, unknown> {
    const names: Record<string, unknown> = { app: this, g };
    for (const processor of this.shell_context_processors) Object.assign(names, processor());
    return names;
  }

  /**
   * The aborter abort() uses in this app's contexts (Flask's `make_aborter`); override it to
   * give abort() codes of your own.
   *
   * @example
   * class MyApp extends Flask {
   *   override make_aborter() { const aborter = super.make_aborter(); aborter.mapping.set(599, NetworkTimeout); return aborter; }
   * }
   */
  make_aborter(): Aborter {
    return makeAborter();
  }

  /**
   * A redirect response with Werkzeug's body (Flask's `app.redirect`, which the `redirect()`
   * helper calls in an app context).
   *
   * @example
   * return current_app.redirect(url_for("login"), 303);
   */
  redirect(location: string, code = 302): Response {
    return redirectResponse(location, code);
  }

  // --- static files ----------------------------------------------------------------------

  /**
   * The Cache-Control max-age of a static file, in seconds (null: none): SEND_FILE_MAX_AGE_DEFAULT
   * unless a subclass decides per file (Flask's `get_send_file_max_age`).
   *
   * @example
   * class MyApp extends Flask {
   *   override get_send_file_max_age(filename: string | null) { return filename?.endsWith(".js") ? 31536000 : super.get_send_file_max_age(filename); }
   * }
   */
  get_send_file_max_age(_filename: string | null): number | null {
    const value = this.config.SEND_FILE_MAX_AGE_DEFAULT as number | null | undefined;
    return value ?? null;
  }

  /**
   * The registered blueprints, in registration order (Flask's `iter_blueprints`).
   *
   * @example
   * for (const bp of app.iter_blueprints()) console.log(bp.name);
   */
  iter_blueprints(): Blueprint[] {
    return [...this.blueprints.values()];
  }

  /**
   * Serves a file of the static folder (the `static` endpoint's view).
   *
   * @example
   * app.route("/favicon.ico", function favicon() { return app.send_static_file("favicon.ico"); });
   */
  send_static_file(filename: string, owner: { root_path: string; static_folder: string | null } = this): Promise<Response> | Response {
    if (owner.static_folder === null) throw new NotFound();
    const max_age = this.get_send_file_max_age(filename);
    return send_from_directory(path.resolve(owner.root_path, owner.static_folder), filename, { max_age });
  }
}
