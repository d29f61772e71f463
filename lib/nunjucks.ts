// Jinja-syntax templates through nunjucks, opt-in (`flaskish/nunjucks`; the core never imports
// this module). Owns what makes nunjucks render a Flask app's templates as Jinja does: markupsafe
// escaping with Markup honoured, per-template autoescape, {% with %}, tojson, keyword arguments
// to url_for and other globals, True/False/None, Jinja's trailing-newline rule, and loading from
// the app's and blueprints' template folders with Flask's caching and auto-reload.

import fs from "node:fs";
import path from "node:path";
import nunjucks from "nunjucks";
import type { Flask } from "./app.js";
import { HTTPException } from "./http-exceptions.js";
import { escape, Markup } from "./markup.js";
import { TemplateNotFound, declareSynchronousEngine, templateEnvironment, type EngineSettings, type TemplateEngine, type TemplateEnvironment } from "./templating.js";

const runtime = nunjucks.runtime as unknown as {
  SafeString: new (value: string) => { toString(): string };
  suppressValue: (value: unknown, autoescape: unknown) => unknown;
  makeKeywordArgs: (values: Record<string, unknown>) => Record<string, unknown>;
};
const { SafeString } = runtime;

// nunjucks compiles `{{ x }}` to runtime.suppressValue(x, env.opts.autoescape), passing the
// option through as is. Our environments set it to this marker, so only they get markupsafe's
// escaping (objects with __html__ untouched, `"` as &#34;); other nunjucks users are unaffected.
// The plain (non-escaping) environment has a marker of its own, for Jinja's printing of values.
const JINJA_AUTOESCAPE = Object.freeze({ jinja: true });
const JINJA_PLAIN = Object.freeze({ jinja: true, plain: true });
const originalSuppress = runtime.suppressValue;
if (!(originalSuppress as { flaskish?: boolean }).flaskish) {
  runtime.suppressValue = Object.assign(function suppressValue(this: unknown, value: unknown, autoescape: unknown): unknown {
    if (autoescape !== JINJA_AUTOESCAPE && autoescape !== JINJA_PLAIN) return originalSuppress.call(this, value, autoescape);
    // Jinja prints Python's values: True, False, None (an undefined name prints nothing).
    if (value === undefined) return "";
    if (value === null) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (autoescape === JINJA_PLAIN) return value;
    return value instanceof SafeString ? value : escape(value).toString();
  }, { flaskish: true });
}

// Jinja's truth: empty lists, dicts, Maps, Sets and Markup are false (JS finds them true).
// nunjucks compiles conditions to plain JS; these compiler hooks route `if`, `not`, `and`,
// `or` and `x if c else y` through jinjaTruth, which keeps JS truth outside our environments.
function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (value instanceof SafeString || value instanceof Markup) return String(value).length > 0;
  if (typeof value === "object" && value !== null) {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return Object.keys(value).length > 0;
  }
  return Boolean(value);
}
const rt = runtime as unknown as Record<string, unknown>;
if (rt.jinjaTruth === undefined) {
  const isJinja = (env: { opts?: { jinja?: boolean } }) => env?.opts?.jinja === true;
  rt.jinjaTruth = (env: { opts?: { jinja?: boolean } }, value: unknown) => (isJinja(env) ? pyTruthy(value) : Boolean(value));
  rt.jinjaAnd = (env: { opts?: { jinja?: boolean } }, left: unknown, right: () => unknown) => (isJinja(env) ? (pyTruthy(left) ? right() : left) : left && right());
  rt.jinjaOr = (env: { opts?: { jinja?: boolean } }, left: unknown, right: () => unknown) => (isJinja(env) ? (pyTruthy(left) ? left : right()) : left || right());
  const proto = (nunjucks as unknown as { compiler: { Compiler: { prototype: any } } }).compiler.Compiler.prototype;
  const Group = (nunjucks as unknown as { nodes: { Group: { prototype: object } } }).nodes.Group;
  const originalIf = proto.compileIf;
  proto.compileJinjaTruth = function compileJinjaTruth(this: any, node: any, frame: unknown) {
    this._emit("runtime.jinjaTruth(env, ");
    this.compile(node.target, frame);
    this._emit(")");
  };
  const truth = (node: any) => Object.create(Group.prototype, { typename: { value: "JinjaTruth" }, target: { value: node }, children: { value: [node] }, lineno: { value: node.lineno }, colno: { value: node.colno } });
  proto.compileIf = function compileIf(this: any, node: any, frame: unknown, async: unknown) {
    node.cond = truth(node.cond);
    return originalIf.call(this, node, frame, async);
  };
  proto.compileInlineIf = function compileInlineIf(this: any, node: any, frame: unknown) {
    this._emit("(");
    this.compile(truth(node.cond), frame);
    this._emit("?");
    this.compile(node.body, frame);
    this._emit(":");
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('""');
    this._emit(")");
  };
  proto.compileNot = function compileNot(this: any, node: any, frame: unknown) {
    this._emit("!");
    this.compile(truth(node.target), frame);
  };
  for (const [kind, helper] of [["And", "jinjaAnd"], ["Or", "jinjaOr"]] as const) {
    proto[`compile${kind}`] = function compileBool(this: any, node: any, frame: unknown) {
      this._emit(`runtime.${helper}(env, `);
      this.compile(node.left, frame);
      this._emit(", function() { return ");
      this.compile(node.right, frame);
      this._emit("; })");
    };
  }
  // Python dict methods on plain objects ({% for k, v in d.items() %}), only where the object
  // has no such member itself, so class instances (MultiDict.get, Session.get) keep their own.
  const originalLookup = rt.memberLookup as (obj: unknown, key: unknown) => unknown;
  const DICT_METHODS: Record<string, (this: Record<string, unknown>, ...args: any[]) => unknown> = {
    items() { return Object.entries(this); },
    keys() { return Object.keys(this); },
    values() { return Object.values(this); },
    get(key: string, fallback: unknown = null) { return Object.hasOwn(this, key) ? this[key] : fallback; },
  };
  rt.memberLookup = function memberLookup(this: unknown, obj: unknown, key: unknown): unknown {
    const value = originalLookup.call(this, obj, key);
    if (value !== undefined || typeof key !== "string" || !Object.hasOwn(DICT_METHODS, key) || typeof obj !== "object" || obj === null) return value;
    const proto = Object.getPrototypeOf(obj);
    return proto === Object.prototype || proto === null ? DICT_METHODS[key]!.bind(obj as Record<string, unknown>) : value;
  };
}

type Kwargs = Record<string, unknown> & { __keywords?: true };

/** Values going into JS code: nunjucks' safe strings become Markup, so they stay trusted. */
function fromTemplate(value: unknown): unknown {
  if (value instanceof SafeString) return new Markup(value.toString());
  if (typeof value === "object" && value !== null && (value as Kwargs).__keywords === true) {
    const { __keywords: _marker, ...rest } = value as Kwargs;
    return rest;
  }
  return value;
}

/**
 * Keyword arguments for a Jinja macro called from code (get_template_attribute), as the last
 * argument: `link("/y", kwargs({ text: "there" }))` for Jinja's `link('/y', text='there')`.
 *
 * @example
 * const link = get_template_attribute("_macros.html", "link") as (href: string, kw?: object) => Markup;
 * link("/about", kwargs({ text: "About" }));
 */
export function kwargs(values: Record<string, unknown>): Record<string, unknown> {
  return runtime.makeKeywordArgs({ ...values });
}

// A macro called from code: its arguments go in as template values, its result comes back as Markup.
function macroFromCode(macro: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => fromTemplate(macro(...args.map(toTemplate)));
}

/** Values coming back: Markup (and any __html__ object) becomes nunjucks' safe string. */
function toTemplate(value: unknown): unknown {
  if (typeof value === "object" && value !== null && typeof (value as { __html__?: unknown }).__html__ === "function") {
    return new SafeString(String((value as { __html__(): unknown }).__html__()));
  }
  return value;
}

const wrapped = new WeakMap<(...args: any[]) => unknown, (...args: any[]) => unknown>();

/** A JS function callable from Jinja: `f(a, key=b)` arrives as `f(a, { key: b })`, as in JS code. */
function jinjaCallable(fn: (...args: any[]) => unknown): (...args: any[]) => unknown {
  let wrapper = wrapped.get(fn);
  if (wrapper === undefined) {
    wrapper = (...args: unknown[]) => toTemplate(fn(...args.map(fromTemplate)));
    wrapped.set(fn, wrapper);
  }
  return wrapper;
}

/** Jinja's trailing-newline rule (keep_trailing_newline=False): one final newline is dropped. */
function jinjaSource(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * What a failed render raises. An HTTP error a function raised while the template ran
 * (`abort(403)` in a context processor, a missing `request.form` key) reaches the app as
 * itself, as Jinja lets it through, so it answers with its status. Any other error stays a
 * "Template render error" whose message names the template and line, the original as its cause.
 */
function renderError(error: Error): Error {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof HTTPException) return cause;
  const wrapped = new Error(error.message, cause === undefined ? undefined : { cause });
  wrapped.name = error.name;
  return wrapped;
}

/** Loads template names from the app's and blueprints' template folders, Jinja's way. */
class FolderLoader {
  cache: Record<string, unknown> = {};
  readonly #env: TemplateEnvironment;
  constructor(env: TemplateEnvironment) {
    this.#env = env;
  }

  getSource(name: string): { src: string; path: string; noCache: boolean } | null {
    // Jinja's split_template_path: no "..", no absolute names, "/" separators only.
    if (name.split(/[\\/]/).includes("..") || path.isAbsolute(name) || name.includes("\0")) return null;
    for (const folder of this.#env.search_path()) {
      const file = path.join(folder, name);
      let text: string;
      try {
        if (!fs.statSync(file).isFile()) continue;
        text = fs.readFileSync(file, "utf8");
      } catch {
        continue;
      }
      return { src: jinjaSource(text), path: file, noCache: this.#env.reloading };
    }
    return null;
  }
}

/** `{% with a = x, b = y %}...{% endwith %}`: names visible inside the block only (Jinja's with). */
class WithExtension {
  readonly tags = ["with"];

  parse(parser: any, nodes: any): unknown {
    const tok = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(tok.value);
    const body = parser.parseUntilBlocks("endwith");
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, "run", args, [body]);
  }

  run(context: { ctx: Record<string, unknown> }, ...rest: unknown[]): unknown {
    const body = rest.pop() as () => string;
    const values = (rest.find((a) => typeof a === "object" && a !== null && (a as Kwargs).__keywords) ?? {}) as Kwargs;
    const saved: [string, boolean, unknown][] = [];
    for (const [key, value] of Object.entries(values)) {
      if (key === "__keywords") continue;
      saved.push([key, Object.hasOwn(context.ctx, key), context.ctx[key]]);
      context.ctx[key] = value;
    }
    try {
      return new SafeString(body());
    } finally {
      for (const [key, had, value] of saved.reverse()) {
        if (had) context.ctx[key] = value;
        else delete context.ctx[key];
      }
    }
  }
}

/** Options of {@link use_nunjucks}. */
export interface NunjucksOptions {
  /** Extensions rendered as Jinja. Default: html, htm, xml, xhtml, svg, txt, j2, jinja, jinja2, njk. */
  extensions?: string[];
  /** Jinja's trim_blocks / lstrip_blocks (default false, as in Flask). */
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
}

/**
 * The nunjucks side of an app: its two environments (autoescaping and not) and their engine.
 *
 * @example
 * const nj = use_nunjucks(app);
 * nj.configure((env) => env.addFilter("shout", (s: string) => s.toUpperCase()));
 */
export class NunjucksEngine {
  /** [autoescaping environment, plain environment]; configure both alike. */
  readonly environments: [nunjucks.Environment, nunjucks.Environment];
  readonly engine: TemplateEngine;
  readonly #app: Flask;
  readonly #env: TemplateEnvironment;
  readonly #synced = new Map<string, unknown>();

  constructor(app: Flask, options: NunjucksOptions = {}) {
    this.#app = app;
    this.#env = templateEnvironment(app);
    const make = (autoescape: unknown) => {
      const env = new nunjucks.Environment(new FolderLoader(this.#env) as unknown as nunjucks.ILoader, {
        autoescape: autoescape as boolean,
        trimBlocks: options.trim_blocks ?? false,
        lstripBlocks: options.lstrip_blocks ?? false,
        jinja: true,
        // Keeps the error a template function raised as the render error's `cause` (see
        // renderError); without it nunjucks re-creates the error from its message.
        dev: true,
      } as nunjucks.ConfigureOptions);
      env.addExtension("with", new WithExtension());
      for (const [name, value] of Object.entries({ True: true, False: false, None: null })) env.addGlobal(name, value);
      const escapeFilter = (value: unknown) => (value instanceof SafeString ? value : new SafeString(escape(fromTemplate(value)).toString()));
      env.addFilter("escape", escapeFilter);
      env.addFilter("e", escapeFilter);
      env.addFilter("forceescape", (value: unknown) => new SafeString(escape(String(value)).toString()));
      env.addFilter("tojson", (value: unknown, kwargs?: Kwargs) => this.#tojson(value, kwargs));
      return env;
    };
    this.environments = [make(JINJA_AUTOESCAPE), make(JINJA_PLAIN)];
    const render = (settings: Partial<EngineSettings>, run: (env: nunjucks.Environment) => string): string => {
      const env = settings.autoescape === false ? this.environments[1] : this.environments[0];
      this.#sync(settings["view cache"] !== false);
      return run(env);
    };
    this.engine = Object.assign(
      (filePath: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void) => {
        const { settings = {}, cache: _cache, ...data } = options;
        const name = (settings as EngineSettings).template_name ?? this.#nameOf(filePath);
        this.#call(callback, () => render(settings, (env) => env.render(name, this.#context(data))));
      },
      {
        render_string: (source: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void) => {
          const { settings = {}, cache: _cache, ...data } = options;
          this.#call(callback, () => render(settings, (env) => env.renderString(jinjaSource(source), this.#context(data))));
        },
        template_module: (name: string, context: Record<string, any>): Record<string, unknown> => this.#module(name, context),
      },
    );
    declareSynchronousEngine(this.engine);
  }

  /**
   * Runs `fn` on both environments (add extensions, nunjucks-only filters...).
   *
   * @example
   * use_nunjucks(app).configure((env) => env.addGlobal("site_name", "Example"));
   */
  configure(fn: (env: nunjucks.Environment) => void): this {
    for (const env of this.environments) fn(env);
    return this;
  }

  #call(callback: (err: Error | null, html?: string) => void, fn: () => string): void {
    let html: string;
    try {
      html = fn();
    } catch (error) {
      const missing = /template not found: (.+?)(?:\s*$|\n)/.exec((error as Error).message ?? "");
      if (missing) return callback(Object.assign(new TemplateNotFound([missing[1]!], this.#env.search_path()), { cause: error }));
      return callback(renderError(error as Error));
    }
    callback(null, html);
  }

  // A template's exported names (Jinja's template.module), macros returning Markup.
  #module(name: string, context: Record<string, unknown>): Record<string, unknown> {
    this.#sync(!this.#env.reloading);
    // The environment rendering would use: autoescaping by the template's name, as Flask's.
    const template = this.environments[this.#env.autoescape(name) ? 0 : 1].getTemplate(name);
    let exported: Record<string, unknown> = {};
    let failure: Error | null = null;
    (template as unknown as { getExported(ctx: object, cb: (err: Error | null, names: Record<string, unknown>) => void): void }).getExported(this.#context(context), (err, names) => {
      failure = err;
      exported = names;
    });
    if (failure !== null) throw failure;
    const module: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
      module[key] = typeof value === "function" ? macroFromCode(value as (...a: unknown[]) => unknown) : fromTemplate(value);
    }
    return module;
  }

  #nameOf(filePath: string): string {
    for (const folder of this.#env.search_path()) {
      const rel = path.relative(folder, filePath);
      if (!rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
    }
    return filePath;
  }

  // Functions in the context (url_for, get_flashed_messages, template globals) take Jinja's
  // keyword arguments as a trailing options object.
  #context(data: Record<string, unknown>): Record<string, unknown> {
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) context[key] = typeof value === "function" ? jinjaCallable(value as (...a: any[]) => unknown) : value;
    return context;
  }

  // Filters and tests are registered on the app at any time; bring new ones over before rendering.
  #sync(cached: boolean): void {
    for (const [kind, registry] of [["filter", this.#env.filters], ["test", this.#env.tests]] as const) {
      for (const [name, fn] of Object.entries(registry)) {
        const key = `${kind}:${name}`;
        if (this.#synced.get(key) === fn) continue;
        this.#synced.set(key, fn);
        for (const env of this.environments) {
          if (kind === "filter") env.addFilter(name, jinjaCallable(fn));
          else (env as unknown as { addTest(name: string, fn: unknown): void }).addTest(name, jinjaCallable(fn));
        }
      }
    }
    if (!cached) for (const env of this.environments) for (const loader of (env as unknown as { loaders: FolderLoader[] }).loaders) loader.cache = {};
  }

  // Flask's tojson: the app's JSON with <, >, & and ' escaped, safe to put in <script> and attributes.
  #tojson(value: unknown, kwargs?: Kwargs): unknown {
    const indent = kwargs?.indent;
    // app.json.dumps uses json.dumps' default separators, as Flask's tojson does.
    const text = this.#app.json.dumps(fromTemplate(value), typeof indent === "number" ? { indent } : {});
    return new SafeString(text.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/'/g, "\\u0027"));
  }
}

const DEFAULT_EXTENSIONS = ["html", "htm", "xml", "xhtml", "svg", "txt", "j2", "jinja", "jinja2", "njk"];

/**
 * Renders Jinja-syntax templates (a Flask app's templates, mostly unchanged) through nunjucks:
 * registers the engine for .html and the other Jinja extensions and makes it the default engine,
 * so `render_template("hello.html", { person })` and `render_template_string("{{ x }}")` use it.
 * Import it from `flaskish/nunjucks`; apps that never call it never load nunjucks.
 *
 * Beyond nunjucks itself: markupsafe escaping (Markup values and `|safe` are not escaped again),
 * Flask's per-extension autoescape, `{% with %}`, `|tojson`, keyword arguments in calls such as
 * `url_for('static', filename='style.css')`, and `True`/`False`/`None`.
 *
 * @example
 * import { use_nunjucks } from "flaskish/nunjucks";
 * const app = new Flask(import.meta.url);
 * use_nunjucks(app);
 * app.route("/hello/<name>", ({ name }) => render_template("hello.html", { person: name }));
 */
export function use_nunjucks(app: Flask, options: NunjucksOptions = {}): NunjucksEngine {
  const engine = new NunjucksEngine(app, options);
  const env = templateEnvironment(app);
  for (const ext of options.extensions ?? DEFAULT_EXTENSIONS) env.engine(ext, engine.engine);
  env.view_engine = "html";
  return engine;
}
