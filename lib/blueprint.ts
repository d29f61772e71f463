// Blueprint: a deferred group of routes, hooks and handlers that an app (or a parent
// blueprint) registers under a name and URL prefix. Owns the deferral and the name/prefix
// arithmetic (Flask's BlueprintSetupState); dispatch never looks at Blueprint objects.

import type { App } from "./app-base.js";
import { AppGroup } from "./cli/app-group.js";
import type { LiteralText } from "./rule-args.js";
import { byMethods, ruleMethods, Scaffold, templateArgs, type AfterRequestHook, type BeforeRequestHook, type ErrorHandler, type ErrorKey, type RouteOptions, type TeardownHook, type TemplateFunction, type View } from "./scaffold.js";
import type { TemplateEngine, TemplateEnvironment } from "./templating.js";

/** Options of `new Blueprint(name, import_name, options)`, as Flask's Blueprint keyword arguments. */
export interface BlueprintOptions<D extends string = string, P extends string = string> {
  /** The path its rules are under; its variables ("/<lang>") reach every view of the blueprint. */
  url_prefix?: P;
  /** The subdomain its routes match on; its variables ("<tenant>") reach every view of the blueprint. */
  subdomain?: D;
  /** The group name of its CLI commands (`flaskish <group> <command>`); default its name, null for the top level. */
  cli_group?: string | null;
  url_defaults?: Record<string, unknown>;
  static_folder?: string | null;
  static_url_path?: string | null;
  template_folder?: string | null;
  root_path?: string;
}

/** Options of `register_blueprint()`: override the blueprint's own prefix, subdomain, defaults or name. */
export interface RegisterOptions {
  url_prefix?: string;
  subdomain?: string;
  url_defaults?: Record<string, unknown>;
  /** Register under another name (to register one blueprint twice). */
  name?: string;
  /** Set by a parent blueprint. */
  name_prefix?: string;
  /** Overrides the blueprint's cli_group for this registration. */
  cli_group?: string | null;
}

/**
 * What a deferred registration function sees: where and under which name it is registered.
 *
 * @example
 * bp.record((state) => state.app.logger.info(`registered ${state.full_name} at ${state.url_prefix ?? "/"}`));
 */
export class BlueprintSetupState {
  readonly app: App;
  readonly blueprint: Blueprint;
  readonly url_prefix: string | undefined;
  readonly subdomain: string | undefined;
  readonly url_defaults: Record<string, unknown>;
  readonly name: string;
  readonly name_prefix: string;
  readonly first_registration: boolean;

  constructor(blueprint: Blueprint, app: App, options: RegisterOptions, first_registration: boolean) {
    this.app = app;
    this.blueprint = blueprint;
    this.url_prefix = options.url_prefix ?? blueprint.url_prefix;
    this.subdomain = options.subdomain ?? blueprint.subdomain;
    this.url_defaults = { ...blueprint.url_values_defaults, ...options.url_defaults };
    this.name_prefix = options.name_prefix ?? "";
    this.name = options.name ?? blueprint.name;
    this.first_registration = first_registration;
  }

  /** The dotted name hooks and endpoints are registered under ("parent.child"). */
  get full_name(): string {
    return this.name_prefix ? `${this.name_prefix}.${this.name}` : this.name;
  }

  /**
   * Registers a blueprint rule on the app with the prefix, name and defaults applied.
   *
   * @example
   * bp.record((state) => state.add_url_rule("/extra", { endpoint: "extra" }, extra));   // "<bp>.extra" under the prefix
   */
  add_url_rule(rule: string, options: RouteOptions = {}, view_func?: View<any>): void {
    let endpoint = options.endpoint ?? (view_func?.name || anonymousEndpoint(rule));
    if (view_func !== undefined && options.endpoint === undefined && !view_func.name) {
      // Two anonymous views on one rule (bp.get + bp.post): kept apart by method, as the app does.
      const existing = this.app.view_functions.get(`${this.full_name}.${endpoint}`);
      if (existing !== undefined && existing !== view_func) endpoint = byMethods(endpoint, ruleMethods(options, view_func));
    }
    if (this.url_prefix !== undefined) {
      rule = rule ? [this.url_prefix.replace(/\/+$/, ""), rule.replace(/^\/+/, "")].join("/") : this.url_prefix;
    }
    const defaults = { ...this.url_defaults, ...options.defaults };
    const subdomain = options.subdomain ?? this.subdomain;
    this.app.add_url_rule(
      rule,
      {
        ...options,
        endpoint: `${this.full_name}.${endpoint}`,
        ...(Object.keys(defaults).length ? { defaults } : {}),
        ...(subdomain !== undefined ? { subdomain } : {}),
      },
      view_func,
    );
  }
}

type Deferred = (state: BlueprintSetupState) => void;

/**
 * The endpoint of a blueprint view with no name: its rule as given to the blueprint (the app
 * does the same with its own rules), unless the rule cannot be one: a dot would read as a
 * blueprint name ("bp./feed.xml" would belong to "bp./feed"), and an empty rule names nothing.
 */
function anonymousEndpoint(rule: string): string {
  if (rule && !rule.includes(".")) return rule;
  const why = rule ? "its rule has a dot, which separates blueprint names in an endpoint" : "its rule is empty";
  throw new TypeError(`The view for blueprint rule ${JSON.stringify(rule)} has no name and ${why}: use a named function or pass { endpoint }.`);
}

/**
 * A set of routes and hooks registered on an app later, under a name and URL prefix. The
 * variables of the prefix and subdomain given here are typed into its views' arguments (those
 * given to register_blueprint are not).
 *
 * @example
 * const admin = new Blueprint("admin", import.meta.url, { url_prefix: "/admin" });
 * admin.route("/", function index() { return "admin home"; });   // endpoint "admin.index"
 * app.register_blueprint(admin);
 * url_for("admin.index");                                          // "/admin/"
 * const docs = new Blueprint("docs", import.meta.url, { url_prefix: "/<lang>" });
 * docs.route("/", ({ lang }) => `docs in ${lang}`);                // lang: string
 */
export class Blueprint<D extends string = string, P extends string = string> extends Scaffold<`${LiteralText<D>} ${LiteralText<P>}`> {
  readonly name: string;
  url_prefix: string | undefined;
  subdomain: string | undefined;
  url_values_defaults: Record<string, unknown>;
  readonly deferred_functions: Deferred[] = [];
  /** Custom commands, registered on the app with the blueprint (under `cli_group`). */
  readonly cli: AppGroup;
  cli_group: string | null | undefined;
  readonly _blueprints: [Blueprint, RegisterOptions][] = [];
  #registered = new Set<App>();

  constructor(name: string, import_name: string, options: BlueprintOptions<D, P> = {}) {
    super(import_name, options);
    if (!name) throw new TypeError("Blueprint name must not be empty.");
    if (name.includes(".")) throw new TypeError(`Blueprint name ${JSON.stringify(name)} must not contain a dot '.'.`);
    this.name = name;
    this.url_prefix = options.url_prefix;
    this.subdomain = options.subdomain;
    this.url_values_defaults = options.url_defaults ?? {};
    this.cli = new AppGroup(name);
    this.cli_group = options.cli_group;
  }

  /**
   * Runs `fn` when the blueprint is registered (Flask's `record`).
   *
   * @example
   * bp.record((state) => { state.app.extensions.admin = state.blueprint; });
   */
  record(fn: Deferred): void {
    this._check_setup_finished("record");
    this.deferred_functions.push(fn);
  }

  protected override _check_setup_finished(f_name: string): void {
    if (this.#registered.size > 0) {
      throw new Error(
        `The setup method '${f_name}' can no longer be called on the blueprint '${this.name}'. It has already been ` +
          "registered at least once, so the change would not apply consistently. Set the blueprint up completely " +
          "(routes, hooks, handlers) before registering it.",
      );
    }
  }

  /**
   * Records a rule to add, under this blueprint's name and URL prefix, when it is registered (Flask's `Blueprint.add_url_rule`).
   * The endpoint defaults to the view function's name; an anonymous view's is its rule ("admin./stats"),
   * as on the app, and a rule with a dot then throws here, since dots separate blueprint names.
   *
   * @example
   * admin.add_url_rule("/users", { endpoint: "users" }, list_users);   // "admin.users" under admin's prefix
   * admin.add_url_rule("/stats", {}, () => stats());                   // "admin./stats"
   */
  add_url_rule(rule: string, options: RouteOptions = {}, view_func?: View<any>): void {
    if (options.endpoint?.includes(".")) throw new TypeError(`Blueprint endpoint ${JSON.stringify(options.endpoint)} must not contain a dot '.'.`);
    if (view_func?.name.includes(".")) throw new TypeError(`Blueprint view function name ${JSON.stringify(view_func.name)} must not contain a dot '.'.`);
    if (options.endpoint === undefined && !view_func?.name) anonymousEndpoint(rule);
    this.record((state) => state.add_url_rule(rule, options, view_func));
  }

  /**
   * Nests another blueprint: its names become "this.child" and its prefix joins this one.
   *
   * @example
   * parent.register_blueprint(child, { url_prefix: "/child" });   // endpoints "parent.child.*"
   * app.register_blueprint(parent, { url_prefix: "/parent" });   // child at /parent/child
   */
  register_blueprint(blueprint: Blueprint, options: RegisterOptions = {}): void {
    if (blueprint === this) throw new TypeError("Cannot register a blueprint on itself.");
    this._check_setup_finished("register_blueprint");
    this._blueprints.push([blueprint, options]);
  }

  /**
   * Like before_request, but for every request of the app.
   *
   * @example
   * auth.before_app_request(() => { g.user = session.user_id === undefined ? null : load_user(session.user_id); });
   */
  before_app_request<F extends BeforeRequestHook>(f: F): F {
    this.record((s) => s.app.before_request(f));
    return f;
  }
  /**
   * Like after_request, but for every request of the app.
   *
   * @example
   * bp.after_app_request((response) => { response.headers.set("X-App", "shop"); return response; });
   */
  after_app_request<F extends AfterRequestHook>(f: F): F {
    this.record((s) => s.app.after_request(f));
    return f;
  }
  /**
   * Like teardown_request, but for every request of the app.
   *
   * @example
   * bp.teardown_app_request(() => g.pop("db", null)?.close());
   */
  teardown_app_request<F extends TeardownHook>(f: F): F {
    this.record((s) => s.app.teardown_request(f));
    return f;
  }
  /**
   * Like errorhandler, but for every request of the app.
   *
   * @example
   * errors.app_errorhandler(404, () => [render_template("errors/404.html"), 404]);
   */
  app_errorhandler(code_or_exception: ErrorKey, f: ErrorHandler): void {
    this.record((s) => s.app.register_error_handler(code_or_exception, f));
  }
  /**
   * Like context_processor, but for every template of the app.
   *
   * @example
   * bp.app_context_processor(() => ({ site_name: "Example" }));
   */
  app_context_processor<F extends () => Record<string, unknown>>(f: F): F {
    this.record((s) => s.app.context_processor(f));
    return f;
  }

  /** Blueprints have no template environment of their own: templates are app-wide. */
  override get jinja_env(): TemplateEnvironment {
    throw new TypeError(`Blueprint '${this.name}' has no jinja_env: templates are app-wide. Use app.jinja_env, or bp.app_template_filter / app_template_global / app_template_test.`);
  }

  /** Registers a template engine on the app this blueprint is registered on. */
  override engine(ext: string, fn: TemplateEngine): this {
    this.record((s) => s.app.engine(ext, fn));
    return this;
  }

  /** Throws: template filters are app-wide; use app_template_filter() / add_app_template_filter(). */
  override add_template_filter(_f: TemplateFunction, _name?: string): void {
    throw new TypeError(`Template filters are app-wide: use bp.app_template_filter() on blueprint '${this.name}'.`);
  }
  /** Throws: template tests are app-wide; use app_template_test() / add_app_template_test(). */
  override add_template_test(_f: TemplateFunction, _name?: string): void {
    throw new TypeError(`Template tests are app-wide: use bp.app_template_test() on blueprint '${this.name}'.`);
  }
  /** Throws: template globals are app-wide; use app_template_global() / add_app_template_global(). */
  override add_template_global(_f: TemplateFunction, _name?: string): void {
    throw new TypeError(`Template globals are app-wide: use bp.app_template_global() on blueprint '${this.name}'.`);
  }

  /**
   * Registers a template filter on the app (Flask's `Blueprint.app_template_filter`).
   *
   * @example
   * bp.app_template_filter("reverse", (s: string) => [...s].reverse().join(""));
   */
  app_template_filter<F extends TemplateFunction>(f: F): F;
  app_template_filter<F extends TemplateFunction>(name: string, f: F): F;
  app_template_filter(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("app_template_filter", nameOrF, f);
    this.add_app_template_filter(fn, name);
    return fn;
  }
  /**
   * Non-decorator form of app_template_filter (Flask's `Blueprint.add_app_template_filter`).
   *
   * @example
   * bp.add_app_template_filter((s: string) => s.toUpperCase(), "shout");
   */
  add_app_template_filter(f: TemplateFunction, name?: string): void {
    this.record((s) => s.app.add_template_filter(f, name));
  }

  /**
   * Registers a template test on the app (Flask's `Blueprint.app_template_test`).
   *
   * @example
   * bp.app_template_test("even", (n: number) => n % 2 === 0);   // {% if n is even %}
   */
  app_template_test<F extends TemplateFunction>(f: F): F;
  app_template_test<F extends TemplateFunction>(name: string, f: F): F;
  app_template_test(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("app_template_test", nameOrF, f);
    this.add_app_template_test(fn, name);
    return fn;
  }
  /**
   * Non-decorator form of app_template_test (Flask's `Blueprint.add_app_template_test`).
   *
   * @example
   * bp.add_app_template_test((n: number) => n % 2 === 0, "even");
   */
  add_app_template_test(f: TemplateFunction, name?: string): void {
    this.record((s) => s.app.add_template_test(f, name));
  }

  /**
   * Registers a template global on the app (Flask's `Blueprint.app_template_global`).
   *
   * @example
   * bp.app_template_global("double", (n: number) => 2 * n);   // {{ double(21) }}
   */
  app_template_global<F extends TemplateFunction>(f: F): F;
  app_template_global<F extends TemplateFunction>(name: string, f: F): F;
  app_template_global(nameOrF: string | TemplateFunction, f?: TemplateFunction): TemplateFunction {
    const [name, fn] = templateArgs("app_template_global", nameOrF, f);
    this.add_app_template_global(fn, name);
    return fn;
  }
  /**
   * Non-decorator form of app_template_global (Flask's `Blueprint.add_app_template_global`).
   *
   * @example
   * bp.add_app_template_global((n: number) => 2 * n, "double");
   */
  add_app_template_global(f: TemplateFunction, name?: string): void {
    this.record((s) => s.app.add_template_global(f, name));
  }

  /**
   * Called by `app.register_blueprint`: replays everything recorded, under the state's name.
   *
   * @example
   * admin.register(app, { url_prefix: "/admin" });   // what app.register_blueprint(admin, { url_prefix: "/admin" }) does
   */
  register(app: App, options: RegisterOptions = {}): void {
    const state = new BlueprintSetupState(this, app, options, !this.#registered.has(app));
    const full = state.full_name;
    const existing = app.blueprints.get(full);
    if (existing !== undefined) {
      const hint = existing === this ? "This blueprint is already registered under that name" : "That name is already registered for a different blueprint";
      throw new TypeError(`The name '${full}' is already registered. ${hint}: pass { name: "..." } to register_blueprint to give it a unique name.`);
    }
    app.blueprints.set(full, this);
    this.#registered.add(app);

    if (this.static_folder !== null) {
      const url = this.static_url_path ?? `/${this.static_folder.replace(/^.*[\\/]/, "")}`;
      state.add_url_rule(`${url}/<path:filename>`, { endpoint: "static" }, ({ filename }: { filename: string }) => app.send_static_file(filename, this));
    }
    mergeInto(app.before_request_funcs, this.before_request_funcs, full);
    mergeInto(app.after_request_funcs, this.after_request_funcs, full);
    mergeInto(app.teardown_request_funcs, this.teardown_request_funcs, full);
    mergeInto(app.url_value_preprocessors, this.url_value_preprocessors, full);
    mergeInto(app.url_default_functions, this.url_default_functions, full);
    mergeInto(app.template_context_processors, this.template_context_processors, full);
    for (const [key, byCode] of this.error_handler_spec) {
      const target = key === null ? full : `${full}.${key}`;
      const into = app.error_handler_spec.get(target) ?? new Map();
      for (const [code, byClass] of byCode) into.set(code, new Map([...(into.get(code) ?? []), ...byClass]));
      app.error_handler_spec.set(target, into);
    }
    for (const fn of this.deferred_functions) fn(state);
    if (this.cli.commands.size > 0) {
      const group = options.cli_group !== undefined ? options.cli_group : this.cli_group;
      if (group === null) for (const [name, command] of this.cli.commands) app.cli.add_command(command, name);
      else app.cli.add_command(this.cli, group ?? state.name);
    }

    for (const [child, childOptions] of this._blueprints) {
      let url_prefix = childOptions.url_prefix ?? child.url_prefix;
      if (state.url_prefix !== undefined && url_prefix !== undefined) {
        url_prefix = `${state.url_prefix.replace(/\/+$/, "")}/${url_prefix.replace(/^\/+/, "")}`;
      } else if (state.url_prefix !== undefined) {
        url_prefix = state.url_prefix;
      }
      // A child's subdomain is under its parent's: "child" in "parent" is "child.parent".
      const own = childOptions.subdomain ?? child.subdomain;
      const subdomain = own !== undefined && state.subdomain !== undefined ? `${own}.${state.subdomain}` : own ?? state.subdomain;
      child.register(app, {
        ...childOptions,
        ...(url_prefix !== undefined ? { url_prefix } : {}),
        ...(subdomain !== undefined ? { subdomain } : {}),
        name_prefix: full,
      });
    }
  }
}

function mergeInto<T>(target: Map<string | null, T[]>, source: Map<string | null, T[]>, name: string): void {
  for (const [key, funcs] of source) {
    const full = key === null ? name : `${name}.${key}`;
    target.set(full, [...(target.get(full) ?? []), ...funcs]);
  }
}
