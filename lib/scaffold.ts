// Scaffold: what Flask and Blueprint share (Flask's sansio Scaffold): route registration,
// request hooks, error handlers and template registries, each keyed by blueprint name.
// Owns registration-time bookkeeping only; dispatch lives in app.ts.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { HTTPException, default_exceptions } from "./http-exceptions.js";
import type { Response } from "./response.js";
import { openResource, type ResourceFile } from "./resources.js";
import type { RouteArgs } from "./rule-args.js";
import type { RuleOptions } from "./rule.js";
import { templateEnvironment, type TemplateEngine, type TemplateEnvironment } from "./templating.js";

/** A view: receives the rule's arguments as one object (typed from the rule string). */
export type View<A = Record<string, any>> = (args: A) => unknown;
/** Options of `route()` and `add_url_rule()`: Werkzeug's rule options plus Flask's. */
export interface RouteOptions extends RuleOptions {
  /** The methods the rule answers, e.g. ["GET", "POST"] (GET by default; HEAD and OPTIONS are added). */
  methods?: readonly string[];
  endpoint?: string;
  /** Answer OPTIONS automatically (default: the PROVIDE_AUTOMATIC_OPTIONS config key). */
  provide_automatic_options?: boolean;
}
export type BeforeRequestHook = () => unknown;
export type AfterRequestHook = (response: Response) => Response | void | Promise<Response | void>;
export type TeardownHook = (error: unknown) => unknown;
export type ErrorHandler<E = any> = (error: E) => unknown;
export type UrlValuePreprocessor = (endpoint: string | null, values: Record<string, unknown> | null) => void;
export type UrlDefaultsHook = (endpoint: string, values: Record<string, unknown>) => void;
export type ErrorKey = number | (abstract new (...args: any[]) => unknown);
/** A template filter, test or global function. */
export type TemplateFunction = (...args: any[]) => unknown;

/** Hooks and handlers by blueprint name; `null` is the app itself. */
type Registry<T> = Map<string | null, T[]>;

function pushTo<T>(registry: Registry<T>, key: string | null, value: T): void {
  const list = registry.get(key);
  if (list === undefined) registry.set(key, [value]);
  else list.push(value);
}

/**
 * The methods a rule answers, upper-cased: `options.methods`, else the view's own (a class-based
 * view's as_view() carries them), else GET.
 *
 * @example
 * ruleMethods({ methods: ["get", "post"] }, undefined);   // Set { "GET", "POST" }
 */
export function ruleMethods(options: RouteOptions, view_func: View<any> | undefined): Set<string> {
  if (typeof options.methods === "string") {
    throw new TypeError(`Allowed methods must be a list of strings, for example { methods: ["${options.methods}"] }, not a string.`);
  }
  const carried = (view_func as { methods?: readonly string[] } | undefined)?.methods;
  return new Set([...(options.methods ?? carried ?? ["GET"])].map((m) => {
    if (typeof m !== "string") throw new TypeError(`Allowed methods must be a list of strings, for example ["GET", "POST"]; got ${typeof m}.`);
    return m.toUpperCase();
  }));
}

/** The endpoint of an anonymous view that shares its rule with another (app.get + app.post): told apart by method. */
export const byMethods = (endpoint: string, methods: Set<string>): string => `${endpoint} ${[...methods].filter((m) => m !== "OPTIONS").join(",")}`;

/** Turns `import.meta.url`, a file path or a folder into the folder resources are found in. */
export function rootPathOf(import_name: string): string {
  const file = import_name.startsWith("file:") ? fileURLToPath(import_name) : import_name;
  if (!path.isAbsolute(file)) return process.cwd();
  return /\.[cm]?[jt]sx?$/.test(file) ? path.dirname(file) : file;
}

/**
 * Resolves an `errorhandler()` key to (exception class, code), as Flask does: a code maps to
 * its Werkzeug class, an HTTPException subclass to its code, any other Error class to null.
 */
export function exceptionClassAndCode(key: ErrorKey): [abstract new (...args: any[]) => unknown, number | null] {
  if (typeof key === "number") {
    const cls = default_exceptions.get(key);
    if (cls === undefined) {
      throw new TypeError(
        `'${key}' is not a recognized HTTP error code. Use a subclass of HTTPException with that code instead.`,
      );
    }
    return [cls, key];
  }
  if (typeof key !== "function") {
    throw new TypeError(`errorhandler() takes a status code or an Error class, not ${typeof key}.`);
  }
  if (key.prototype instanceof HTTPException || key === HTTPException) {
    return [key, (key as unknown as typeof HTTPException).code ?? null];
  }
  return [key, null];
}

/**
 * Registration shared by Flask and Blueprint. `D` is the pattern text of a blueprint (its
 * subdomain and url_prefix), whose variables its views receive too ("" for an app).
 */
export abstract class Scaffold<D extends string = ""> {
  readonly import_name: string;
  root_path: string;
  static_folder: string | null;
  static_url_path: string | null;
  template_folder: string | null;

  readonly before_request_funcs: Registry<BeforeRequestHook> = new Map();
  readonly after_request_funcs: Registry<AfterRequestHook> = new Map();
  readonly teardown_request_funcs: Registry<TeardownHook> = new Map();
  readonly url_value_preprocessors: Registry<UrlValuePreprocessor> = new Map();
  readonly url_default_functions: Registry<UrlDefaultsHook> = new Map();
  readonly template_context_processors: Registry<() => Record<string, unknown>> = new Map();
  /** name -> code -> [class, handler] in registration order. */
  readonly error_handler_spec = new Map<string | null, Map<number | null, Map<Function, ErrorHandler>>>();
  /** View functions by endpoint. */
  readonly view_functions = new Map<string, View<any>>();

  constructor(import_name: string, opts: { root_path?: string; static_folder?: string | null; static_url_path?: string | null; template_folder?: string | null } = {}) {
    this.import_name = import_name;
    this.root_path = opts.root_path ?? rootPathOf(import_name);
    this.static_folder = opts.static_folder === undefined ? null : opts.static_folder;
    this.static_url_path = opts.static_url_path ?? null;
    this.template_folder = opts.template_folder === undefined ? null : opts.template_folder;
  }

  /**
   * Opens a file of the app's (or blueprint's) folder for reading (Flask's `open_resource`):
   * bytes by default, text with mode "r".
   *
   * @example
   * { using f = current_app.open_resource("schema.sql", "r"); db.exec(f.read()); }
   */
  open_resource(resource: string, mode?: "rb"): ResourceFile<Buffer>;
  open_resource(resource: string, mode: "r" | "rt", encoding?: BufferEncoding): ResourceFile<string>;
  open_resource(resource: string, mode: "r" | "rt" | "rb" = "rb", encoding: BufferEncoding = "utf8"): ResourceFile {
    return openResource(this.root_path, resource, mode, encoding);
  }

  /**
   * Called by every registration method; a blueprint refuses changes once registered (Flask's
   * `_check_setup_finished`), since they would apply to later registrations only.
   */
  protected _check_setup_finished(_f_name: string): void {}

  /**
   * Registers a rule: the heart of route(); Flask and Blueprint each implement it.
   *
   * @example
   * app.add_url_rule("/", { endpoint: "index" }, index);
   * bp.add_url_rule("/list", { methods: ["GET"] }, list_items);   // endpoint "<bp name>.list_items"
   */
  abstract add_url_rule(rule: string, options?: RouteOptions, view_func?: View<any>): void;

  /**
   * Binds a URL rule to a view, like Flask's `@app.route`. The view receives the rule's
   * variables as one object, typed from the rule string.
   *
   * @example
   * app.route("/", function index() { return "Index Page"; });
   * app.route("/post/<int:post_id>", ({ post_id }) => `Post ${post_id}`);
   * app.route("/login", { methods: ["GET", "POST"] }, function login() { ... });
   */
  route<R extends string, F extends View<RouteArgs<R, object, D>>>(rule: R, view: F): F;
  route<R extends string, const O extends RouteOptions, F extends View<RouteArgs<R, O, D>>>(rule: R, options: O, view: F): F;
  route(rule: string, optionsOrView: RouteOptions | View<any>, maybeView?: View<any>): View<any> {
    const [options, view] = typeof optionsOrView === "function" ? [{}, optionsOrView] : [optionsOrView, maybeView];
    if (typeof view !== "function") {
      throw new TypeError(`route(${JSON.stringify(rule)}) needs a view function as its last argument.`);
    }
    this.add_url_rule(rule, options, view);
    return view;
  }

  #method(method: string, rule: string, optionsOrView: Omit<RouteOptions, "methods"> | View<any>, maybeView?: View<any>): View<any> {
    if (typeof optionsOrView !== "function" && "methods" in optionsOrView) {
      throw new TypeError(`Use the route() method when passing 'methods' (got it in ${method.toLowerCase()}()).`);
    }
    const [options, view] = typeof optionsOrView === "function" ? [{}, optionsOrView] : [optionsOrView, maybeView];
    return this.route(rule, { ...options, methods: [method] }, view as View<any>);
  }

  /**
   * `route()` with methods ["GET"] (Flask's `@app.get`).
   *
   * @example
   * app.get("/users/<int:id>", ({ id }) => ({ id }));
   */
  get<R extends string, const O extends Omit<RouteOptions, "methods">, F extends View<RouteArgs<R, O, D>>>(rule: R, optionsOrView: O | F, view?: F): F {
    return this.#method("GET", rule, optionsOrView, view) as F;
  }
  /**
   * `route()` with methods ["POST"] (Flask's `@app.post`).
   *
   * @example
   * app.post("/login", function login() { return do_the_login(); });
   */
  post<R extends string, const O extends Omit<RouteOptions, "methods">, F extends View<RouteArgs<R, O, D>>>(rule: R, optionsOrView: O | F, view?: F): F {
    return this.#method("POST", rule, optionsOrView, view) as F;
  }
  /**
   * `route()` with methods ["PUT"] (Flask's `@app.put`).
   *
   * @example
   * app.put("/items/<int:id>", function replace_item({ id }) { return save_item(id, request.json); });
   */
  put<R extends string, const O extends Omit<RouteOptions, "methods">, F extends View<RouteArgs<R, O, D>>>(rule: R, optionsOrView: O | F, view?: F): F {
    return this.#method("PUT", rule, optionsOrView, view) as F;
  }
  /**
   * `route()` with methods ["DELETE"] (Flask's `@app.delete`).
   *
   * @example
   * app.delete("/items/<int:id>", function delete_item({ id }) { remove_item(id); return ["", 204]; });
   */
  delete<R extends string, const O extends Omit<RouteOptions, "methods">, F extends View<RouteArgs<R, O, D>>>(rule: R, optionsOrView: O | F, view?: F): F {
    return this.#method("DELETE", rule, optionsOrView, view) as F;
  }
  /**
   * `route()` with methods ["PATCH"] (Flask's `@app.patch`).
   *
   * @example
   * app.patch("/items/<int:id>", function update_item({ id }) { return update(id, request.json); });
   */
  patch<R extends string, const O extends Omit<RouteOptions, "methods">, F extends View<RouteArgs<R, O, D>>>(rule: R, optionsOrView: O | F, view?: F): F {
    return this.#method("PATCH", rule, optionsOrView, view) as F;
  }

  /**
   * Runs before each request; a return value other than undefined ends the request with it.
   *
   * @example
   * app.before_request(() => {
   *   if (!("user_id" in session) && request.endpoint !== "login") return redirect(url_for("login"));
   * });
   */
  before_request<F extends BeforeRequestHook>(f: F): F {
    this._check_setup_finished("before_request");
    pushTo(this.before_request_funcs, null, f);
    return f;
  }

  /**
   * Runs after each request with the response; may return a replacement response.
   *
   * @example
   * app.after_request((response) => { response.headers.set("X-Frame-Options", "DENY"); return response; });
   */
  after_request<F extends AfterRequestHook>(f: F): F {
    this._check_setup_finished("after_request");
    pushTo(this.after_request_funcs, null, f);
    return f;
  }

  /**
   * Runs at the end of every request, also after errors, with the error or null.
   *
   * @example
   * app.teardown_request((error) => { if (error) console.error("request failed", error); });
   */
  teardown_request<F extends TeardownHook>(f: F): F {
    this._check_setup_finished("teardown_request");
    pushTo(this.teardown_request_funcs, null, f);
    return f;
  }

  /**
   * Pulls values out of `view_args` before hooks run (Flask's url_value_preprocessor).
   *
   * @example
   * app.url_value_preprocessor((endpoint, values) => {
   *   if (values) { g.lang_code = values.lang_code; delete values.lang_code; }
   * });
   */
  url_value_preprocessor<F extends UrlValuePreprocessor>(f: F): F {
    this._check_setup_finished("url_value_preprocessor");
    pushTo(this.url_value_preprocessors, null, f);
    return f;
  }

  /**
   * Fills in values for url_for() (Flask's url_defaults).
   *
   * @example
   * app.url_defaults((endpoint, values) => { if (!("lang_code" in values)) values.lang_code = g.lang_code; });
   */
  url_defaults<F extends UrlDefaultsHook>(f: F): F {
    this._check_setup_finished("url_defaults");
    pushTo(this.url_default_functions, null, f);
    return f;
  }

  /**
   * Adds variables to every template's context.
   *
   * @example
   * app.context_processor(() => ({ user: g.user, year: new Date().getFullYear() }));
   */
  context_processor<F extends () => Record<string, unknown>>(f: F): F {
    this._check_setup_finished("context_processor");
    pushTo(this.template_context_processors, null, f);
    return f;
  }

  /**
   * The app's template environment (Flask's `app.jinja_env`): engines by extension, globals,
   * filters, tests, auto_reload. Blueprints have none: use their app_template_* methods.
   *
   * @example
   * app.jinja_env.globals.site_name = "Example";
   * app.jinja_env.auto_reload = true;
   */
  get jinja_env(): TemplateEnvironment {
    return templateEnvironment(this as never);
  }

  /**
   * Registers a template engine for a file extension, with Express's engine signature
   * `(filePath, options, callback)` (Express's `app.engine`). ejs is registered for .ejs and
   * .html already; `use_nunjucks(app)` registers Jinja syntax.
   *
   * @example
   * app.engine("pug", pug.__express);
   * app.jinja_env.view_engine = "pug"; // render_template("index") -> index.pug
   */
  engine(ext: string, fn: TemplateEngine): this {
    this.jinja_env.engine(ext, fn);
    return this;
  }

  /**
   * Registers a template filter, named after the function unless a name is given (Flask's
   * `@app.template_filter`). Filters reach engines that have them (nunjucks).
   *
   * @example
   * app.template_filter("reverse", (s: string) => [...s].reverse().join(""));
   */
  template_filter<F extends TemplateFunction>(f: F): F;
  template_filter<F extends TemplateFunction>(name: string, f: F): F;
  template_filter(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("template_filter", nameOrF, f);
    this.add_template_filter(fn, name);
    return fn;
  }

  /**
   * Non-decorator form of template_filter (Flask's `add_template_filter`).
   *
   * @example
   * app.add_template_filter((s: string) => s.toUpperCase(), "shout");   // {{ name|shout }}
   */
  add_template_filter(f: TemplateFunction, name?: string): void {
    this.jinja_env.filters[name ?? templateName("add_template_filter", f)] = f;
  }

  /**
   * Registers a template test, for `{% if n is prime %}` (Flask's `@app.template_test`).
   *
   * @example
   * app.template_test("prime", (n: number) => n > 1 && [...Array(n).keys()].slice(2).every((d) => n % d));
   */
  template_test<F extends TemplateFunction>(f: F): F;
  template_test<F extends TemplateFunction>(name: string, f: F): F;
  template_test(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("template_test", nameOrF, f);
    this.add_template_test(fn, name);
    return fn;
  }

  /**
   * Non-decorator form of template_test (Flask's `add_template_test`).
   *
   * @example
   * app.add_template_test((n: number) => n % 2 === 0, "even");   // {% if n is even %}
   */
  add_template_test(f: TemplateFunction, name?: string): void {
    this.jinja_env.tests[name ?? templateName("add_template_test", f)] = f;
  }

  /**
   * Makes a function available in every template, of every engine (Flask's
   * `@app.template_global`).
   *
   * @example
   * app.template_global("double", (n: number) => 2 * n);   // {{ double(21) }} / <%= double(21) %>
   */
  template_global<F extends TemplateFunction>(f: F): F;
  template_global<F extends TemplateFunction>(name: string, f: F): F;
  template_global(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("template_global", nameOrF, f);
    this.add_template_global(fn, name);
    return fn;
  }

  /**
   * Non-decorator form of template_global (Flask's `add_template_global`).
   *
   * @example
   * app.add_template_global(() => new Date().getFullYear(), "current_year");   // {{ current_year() }}
   */
  add_template_global(f: TemplateFunction, name?: string): void {
    this.jinja_env.globals[name ?? templateName("add_template_global", f)] = f;
  }

  /**
   * Registers an error handler by status code or error class.
   *
   * @example
   * app.errorhandler(404, (error) => [render_template("page_not_found.html"), 404]);
   * app.errorhandler(ValidationFailed, (error) => ({ error: error.message }));
   */
  errorhandler<K extends ErrorKey>(code_or_exception: K, f: ErrorHandler<K extends number ? HTTPException : K extends abstract new (...args: any[]) => infer E ? E : unknown>): void {
    this.register_error_handler(code_or_exception, f);
  }

  /**
   * Non-decorator form of errorhandler(), as in Flask.
   *
   * @example
   * app.register_error_handler(404, () => ["Nothing here", 404]);
   */
  register_error_handler(code_or_exception: ErrorKey, f: ErrorHandler): void {
    this._check_setup_finished("register_error_handler");
    const [cls, code] = exceptionClassAndCode(code_or_exception);
    let byCode = this.error_handler_spec.get(null);
    if (byCode === undefined) this.error_handler_spec.set(null, (byCode = new Map()));
    let byClass = byCode.get(code);
    if (byClass === undefined) byCode.set(code, (byClass = new Map()));
    byClass.set(cls, f);
  }
}

function templateName(method: string, f: TemplateFunction): string {
  if (typeof f !== "function") throw new TypeError(`${method}() needs a function.`);
  if (!f.name) throw new TypeError(`${method}() got an anonymous function: pass a name, e.g. ${method}("name", fn).`);
  return f.name;
}

/** A template registration's (name, function): the name given, else the function's own. */
export function templateArgs(method: string, nameOrF: string | TemplateFunction, f: TemplateFunction | undefined): [string, TemplateFunction] {
  if (typeof nameOrF === "string") {
    if (typeof f !== "function") throw new TypeError(`${method}("${nameOrF}", fn) needs a function as its second argument.`);
    return [nameOrF, f];
  }
  return [templateName(method, nameOrF), nameOrF];
}
