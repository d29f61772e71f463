// Templating: Flask's render_template family over Express's view-engine machinery. Owns the
// per-app TemplateEnvironment (engines by extension as in Express's app.engine/View, the search
// path of app and blueprint template folders, the lookup cache and auto-reload, Flask's
// autoescape rule, globals/filters/tests) and the template context (Flask's
// update_template_context). Engines live in their own modules: template-ejs.ts (the default) and
// nunjucks.ts (opt-in Jinja syntax); no engine is imported here.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";
import type { Flask } from "./app.js";
import { requestContext, requireAppContext, runInContext, withAsyncContext } from "./context.js";
import { get_flashed_messages } from "./flash.js";
import { url_for } from "./helpers.js";
import type { Scaffold } from "./scaffold.js";
import { before_render_template, template_rendered, type RenderedTemplate } from "./signals.js";
import { ejsEngine } from "./template-ejs.js";

/** A callback-style engine with Express's signature (`require("pug").__express` and the like). */
export type TemplateEngine = ((filePath: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void) => void) & {
  /** Engines that can also compile a source string implement this (render_template_string). */
  render_string?: (source: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void) => void;
  /** The names a template exports (its macros), for get_template_attribute; Jinja engines only. */
  template_module?: (name: string, context: Record<string, any>) => Record<string, unknown>;
};

/** What engines find under `options.settings` besides Express's own keys. */
export interface EngineSettings {
  /** The template folders, in search order (Express's `views`). */
  views: string[];
  "view engine": string;
  "view cache": boolean;
  /** Whether `<%= %>` / `{{ }}` escape for this template (Flask's autoescape decision). */
  autoescape: boolean;
  /** The app's TemplateEnvironment (filters, tests, search path) for engines that want it. */
  env: TemplateEnvironment;
  /** The name the template was asked for ("hello.html"), null for a string template. */
  template_name: string | null;
}

/**
 * A template that could not be found in any template folder (Jinja's TemplateNotFound). In a
 * view it is an ordinary error, so the response is a 500 as in Flask.
 *
 * @example
 * try { render_template("missing.html"); }
 * catch (e) { if (e instanceof TemplateNotFound) console.log(e.templates, e.searched); }
 */
export class TemplateNotFound extends Error {
  override name = "TemplateNotFound";
  /** The names that were tried. */
  readonly templates: string[];
  /** Every folder that was searched, in order. */
  readonly searched: string[];
  constructor(templates: string[], searched: string[]) {
    const names = templates.map((t) => JSON.stringify(t)).join(", ");
    const where = searched.length ? `Searched: ${searched.join(", ")}.` : "No template folder is configured (template_folder is null).";
    super(`Template ${names} not found. ${where} Create it in one of these folders, or fix the name or template_folder.`);
    this.templates = templates;
    this.searched = searched;
  }
}

const ESCAPED_EXTENSIONS = [".html", ".htm", ".xml", ".xhtml", ".svg"];

/**
 * Flask's autoescape rule (`select_jinja_autoescape`): on for .html, .htm, .xml, .xhtml and .svg
 * and for string templates (null), off otherwise. `.ejs` counts as HTML unless a non-HTML
 * extension comes before it (`mail.txt.ejs`).
 *
 * @example
 * select_autoescape("hello.html"); // true
 * select_autoescape("mail.txt");   // false
 */
export function select_autoescape(filename: string | null): boolean {
  if (filename === null) return true;
  const name = filename.toLowerCase();
  if (name.endsWith(".ejs")) {
    const inner = name.slice(0, -4);
    return path.extname(inner) === "" || ESCAPED_EXTENSIONS.some((ext) => inner.endsWith(ext));
  }
  return ESCAPED_EXTENSIONS.some((ext) => name.endsWith(ext));
}

interface Found {
  path: string;
  engine: TemplateEngine;
  ext: string;
}

/**
 * An app's template machinery (`app.jinja_env`, Flask's name for it): engines by extension,
 * globals, filters and tests, the search path and the compiled-lookup cache.
 *
 * @example
 * app.jinja_env.engine("pug", pug.__express);       // Express's app.engine()
 * app.jinja_env.view_engine = "pug";                 // names without an extension: hello -> hello.pug
 * app.jinja_env.globals.site_name = "Example";
 */
export class TemplateEnvironment {
  readonly app: Flask;
  /** Engines by extension, with the dot (".ejs"), as in Express's `app.engines`. */
  readonly engines: Record<string, TemplateEngine> = Object.create(null);
  /** The extension for names without one (Express's "view engine" setting). */
  view_engine = "ejs";
  readonly globals: Record<string, unknown> = Object.create(null);
  readonly filters: Record<string, (...args: any[]) => unknown> = Object.create(null);
  readonly tests: Record<string, (...args: any[]) => unknown> = Object.create(null);
  /** null: follow TEMPLATES_AUTO_RELOAD, and debug mode when that is null too (Flask's rule). */
  auto_reload: boolean | null = null;
  /** Decides autoescaping by template name (null for string templates). */
  autoescape: (filename: string | null) => boolean = select_autoescape;
  #lookups = new Map<string, Found>();

  constructor(app: Flask) {
    this.app = app;
    for (const ext of ["ejs", ...ESCAPED_EXTENSIONS.map((e) => e.slice(1))]) this.engine(ext, ejsEngine);
  }

  /**
   * Registers an engine for an extension, with or without the dot (Express's `app.engine`).
   *
   * @example
   * app.jinja_env.engine("hbs", hbs.__express);   // .hbs templates render through handlebars
   */
  engine(ext: string, fn: TemplateEngine): this {
    if (typeof fn !== "function") throw new TypeError(`engine("${ext}") needs a callback function (filePath, options, callback), such as require("${ext.replace(/^\./, "")}").__express.`);
    this.engines[ext.startsWith(".") ? ext : `.${ext}`] = fn;
    this.#lookups.clear();
    return this;
  }

  /** Whether changed template files are picked up on the next render. */
  get reloading(): boolean {
    if (this.auto_reload !== null) return this.auto_reload;
    const configured = this.app.config.TEMPLATES_AUTO_RELOAD;
    return configured === null || configured === undefined ? this.app.debug : Boolean(configured);
  }

  /**
   * The template folders in search order: the app's, then each blueprint's in registration order.
   *
   * @example
   * app.jinja_env.search_path();   // ["/srv/app/templates", "/srv/app/admin/templates"]
   */
  search_path(): string[] {
    const folders: string[] = [];
    const add = (owner: Scaffold) => {
      if (owner.template_folder === null) return;
      const folder = path.resolve(owner.root_path, owner.template_folder);
      if (!folders.includes(folder)) folders.push(folder);
    };
    add(this.app);
    for (const bp of this.app.blueprints.values()) add(bp);
    return folders;
  }

  /**
   * Forgets resolved paths (and lets engines recompile); changing engines does it too.
   *
   * @example
   * app.jinja_env.clear_cache();   // after moving template files while the app runs
   */
  clear_cache(): void {
    this.#lookups.clear();
  }

  /**
   * The engine for an extension; like Express, loads `require(ext).__express` when none is registered.
   *
   * @example
   * const pug = app.jinja_env.engineFor(".pug");   // the registered engine, or require("pug").__express
   */
  engineFor(ext: string): TemplateEngine {
    const registered = this.engines[ext];
    if (registered !== undefined) return registered;
    const mod = ext.slice(1);
    let loaded: unknown;
    try {
      // The app's own dependencies first, then the ones next to flaskish (where Express looks).
      try {
        loaded = createRequire(path.join(this.app.root_path, "noop.js"))(mod);
      } catch {
        loaded = createRequire(import.meta.url)(mod);
      }
    } catch (error) {
      throw new Error(`No template engine is registered for "${ext}" templates and the module "${mod}" could not be loaded: register one with app.jinja_env.engine("${mod}", fn), or call use_nunjucks(app) for Jinja templates.`, { cause: error });
    }
    const fn = (loaded as { __express?: unknown }).__express;
    if (typeof fn !== "function") throw new Error(`Module "${mod}" does not provide a view engine: register one with app.jinja_env.engine("${mod}", fn).`);
    this.engines[ext] = fn as TemplateEngine;
    return fn as TemplateEngine;
  }

  /**
   * Finds a template: the first of `names` found in the search path (Express's View lookup).
   *
   * @example
   * app.jinja_env.lookup(["theme/index.html", "index.html"]).path;   // the first that exists
   */
  lookup(names: string | string[]): Found & { name: string } {
    const list = typeof names === "string" ? [names] : names;
    const folders = this.search_path();
    const cache = !this.reloading;
    for (const given of list) {
      const hit = cache ? this.#lookups.get(given) : undefined;
      if (hit !== undefined) return { ...hit, name: given };
      let name = given;
      let ext = path.extname(name);
      if (!ext) {
        ext = this.view_engine.startsWith(".") ? this.view_engine : `.${this.view_engine}`;
        name += ext;
      }
      // Jinja refuses ".." segments and absolute names: templates never come from outside a folder.
      const segments = name.split(/[\\/]/);
      if (path.isAbsolute(name) || segments.includes("..") || name.includes("\0")) continue;
      for (const folder of folders) {
        const file = resolveFile(folder, name, ext);
        if (file === undefined) continue;
        const found = { path: file, engine: this.engineFor(ext), ext };
        if (cache) this.#lookups.set(given, found);
        return { ...found, name: given };
      }
    }
    throw new TemplateNotFound(list, folders);
  }

  /**
   * Renders a template file with a full context; sync when the engine answers synchronously.
   *
   * @example
   * const body = await app.jinja_env.render("mail/welcome.txt", { user });   // no context processors, unlike render_template
   */
  render(names: string | string[], context: Record<string, unknown>): string | Promise<string> {
    const found = this.lookup(names);
    return callEngine(found.engine, found.path, this.#options(context, found.name));
  }

  /**
   * Renders source text with the default engine (`view_engine`), autoescaped.
   *
   * @example
   * app.jinja_env.render_string("<p><%= name %></p>", { name: "<Bob>" });   // "<p>&lt;Bob&gt;</p>"
   */
  render_string(source: string, context: Record<string, unknown>): string | Promise<string> {
    const ext = this.view_engine.startsWith(".") ? this.view_engine : `.${this.view_engine}`;
    const engine = this.engineFor(ext);
    if (typeof engine.render_string !== "function") {
      throw new TypeError(`The "${ext}" engine cannot render source strings: render_template_string needs ejs or nunjucks (set app.jinja_env.view_engine).`);
    }
    const options = this.#options(context, null);
    return callEngine((_p, o, cb) => engine.render_string!(source, o, cb), "", options, synchronousEngines.has(engine));
  }

  #options(context: Record<string, unknown>, name: string | null): Record<string, any> {
    const settings: EngineSettings = {
      views: this.search_path(),
      "view engine": this.view_engine,
      "view cache": !this.reloading,
      autoescape: this.autoescape(name === null ? null : name.includes(".") ? name : `${name}.${this.view_engine.replace(/^\./, "")}`),
      env: this,
      template_name: name,
    };
    return { ...context, settings, cache: settings["view cache"] };
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// Express's View#resolve: <name>, then <name without ext>/index<ext>.
function resolveFile(folder: string, name: string, ext: string): string | undefined {
  const loc = path.resolve(folder, name);
  if (isFile(loc)) return loc;
  const index = path.join(path.dirname(loc), path.basename(loc, ext), `index${ext}`);
  return isFile(index) ? index : undefined;
}

// Engines known to call back before they return (the built-in ejs and nunjucks ones). Any other
// engine may render later, so it runs with the request context carried through its callbacks.
const synchronousEngines = new WeakSet<TemplateEngine>();

/** Declares that `engine` always calls back before returning (flaskish's own engines do). */
export function declareSynchronousEngine(engine: TemplateEngine): TemplateEngine {
  synchronousEngines.add(engine);
  return engine;
}

declareSynchronousEngine(ejsEngine);

/** Calls an Express-style engine: the string when it called back synchronously, else a Promise. */
function callEngine(
  engine: TemplateEngine,
  file: string,
  options: Record<string, any>,
  synchronous = synchronousEngines.has(engine),
): string | Promise<string> {
  let settled = false;
  let result: string | undefined;
  let failure: Error | null = null;
  let later: ((err: Error | null, html?: string) => void) | undefined;
  const render = () =>
    engine(file, options, (err, html) => {
      if (later !== undefined) return later(err, html);
      settled = true;
      failure = err;
      result = html;
    });
  if (synchronous) render();
  else withAsyncContext(render);
  if (settled) {
    if (failure !== null) throw failure;
    return result ?? "";
  }
  return new Promise((resolve, reject) => {
    later = (err, html) => (err ? reject(err) : resolve(html ?? ""));
  });
}

const environments = new WeakMap<object, TemplateEnvironment>();

/** The app's TemplateEnvironment, created on first use (what `app.jinja_env` returns). */
export function templateEnvironment(app: Flask): TemplateEnvironment {
  let env = environments.get(app);
  if (env === undefined) environments.set(app, (env = new TemplateEnvironment(app)));
  return env;
}

/**
 * The context every template sees (Flask's update_template_context): globals, then `config`,
 * `url_for`, `get_flashed_messages`, `g`, `request`, `session`, then the app's and the current
 * blueprints' context processors, then the view's own values, which win.
 */
/**
 * What every template sees without context processors (Flask's jinja_env globals): the
 * registered globals, config, url_for, get_flashed_messages, g, and request and session in a
 * request.
 */
export function templateGlobals(app: Flask): Record<string, unknown> {
  const env = templateEnvironment(app);
  const ctx = requestContext();
  const globals: Record<string, unknown> = { ...env.globals, config: app.config, url_for, get_flashed_messages, g: requireAppContext().g };
  if (ctx !== undefined && ctx.app === app) {
    globals.request = ctx.request;
    if (ctx.session !== undefined) globals.session = ctx.session;
  }
  return globals;
}

export function templateContext(app: Flask, context: Record<string, unknown> = {}): Record<string, unknown> {
  const ctx = requestContext();
  const merged = templateGlobals(app);
  const names: (string | null)[] = [null, ...(ctx?.app === app ? [...ctx.request.blueprints].reverse() : [])];
  for (const name of names) {
    for (const processor of app.template_context_processors.get(name) ?? []) {
      const values = processor();
      if (typeof (values as { then?: unknown } | null)?.then === "function") {
        throw new TypeError("A context processor returned a Promise: context processors must return their values synchronously (load data in before_request and put it on g).");
      }
      Object.assign(merged, values);
    }
  }
  return Object.assign(merged, context);
}

/**
 * A name a template defines, such as a macro, to call from code (Flask's
 * `get_template_attribute`). Needs Jinja templates (`use_nunjucks(app)`); a macro's result is
 * Markup, and its keyword arguments are given with `kwargs()` from "flaskish/nunjucks".
 *
 * @example
 * const hello = get_template_attribute("_cider.html", "hello") as (name: string) => Markup;
 * return hello("World");
 * const link = get_template_attribute("_cider.html", "link") as (href: string, kw?: object) => Markup;
 * link("/about", kwargs({ text: "About" }));   // Jinja's link('/about', text='About')
 */
export function get_template_attribute(template_name: string, attribute: string): unknown {
  const app = requireAppContext().app;
  const env = templateEnvironment(app);
  const found = env.lookup(template_name);
  if (typeof found.engine.template_module !== "function") {
    throw new TypeError(`get_template_attribute("${template_name}"): its engine cannot give a template's names; templates with macros need Jinja syntax: call use_nunjucks(app) (from "flaskish/nunjucks").`);
  }
  // Jinja's template.module sees the environment's globals, not context processors.
  const module = found.engine.template_module(found.name, templateGlobals(app));
  if (!Object.hasOwn(module, attribute)) {
    throw new TypeError(`get_template_attribute("${template_name}", "${attribute}"): the template defines no '${attribute}' (it exports ${Object.keys(module).map((n) => `'${n}'`).join(", ") || "nothing"}).`);
  }
  return module[attribute];
}

/**
 * Renders a template from the template folders with the given values (Flask's
 * `render_template`). Returns the HTML as a string when the engine renders synchronously (ejs,
 * nunjucks, pug...), or a Promise of it for async-only engines; a view can return either.
 * A list of names renders the first one that exists.
 *
 * @example
 * app.route("/hello/", function hello() { return render_template("hello.html", { person: null }); });
 * app.route("/hello/<name>", ({ name }) => render_template("hello.html", { person: name }));
 */
export function render_template(template_name_or_list: string | string[], context: Record<string, unknown> = {}): string | Promise<string> {
  const app = requireAppContext().app;
  const env = templateEnvironment(app);
  const full = templateContext(app, context);
  const nameOf = () => (typeof template_name_or_list === "string" ? template_name_or_list : env.lookup(template_name_or_list).name);
  return rendered(app, nameOf, full, () => env.render(template_name_or_list, full));
}

// Flask's _render: before_render_template, the rendering, template_rendered (after an async
// engine's promise settles). With no receiver connected it only renders.
function rendered(app: Flask, nameOf: () => string | null, context: Record<string, unknown>, render: () => string | Promise<string>): string | Promise<string> {
  if (before_render_template.receivers.size === 0 && template_rendered.receivers.size === 0) return render();
  const template: RenderedTemplate = { name: nameOf() };
  before_render_template.send(app, { template, context });
  const html = render();
  if (!(html instanceof Promise)) {
    template_rendered.send(app, { template, context });
    return html;
  }
  return html.then((text) => {
    template_rendered.send(app, { template, context });
    return text;
  });
}

/**
 * Renders template source text with the default engine (ejs, or nunjucks after
 * `use_nunjucks(app)`), always autoescaped (Flask's `render_template_string`).
 *
 * @example
 * return render_template_string("<p>Hello <%= name %></p>", { name: "<Bob>" });
 */
export function render_template_string(source: string, context: Record<string, unknown> = {}): string | Promise<string> {
  const app = requireAppContext().app;
  const env = templateEnvironment(app);
  const full = templateContext(app, context);
  return rendered(app, () => null, full, () => env.render_string(source, full));
}

function streamOf(render: () => string | Promise<string>): Readable {
  // The template renders when the body is read, after the view returned, so it runs in the
  // request context captured now (Flask's stream_with_context).
  const ctx = requestContext();
  return Readable.from((async function* generate() {
    yield await (ctx === undefined ? render() : runInContext(ctx, render));
  })(), { objectMode: false });
}

/**
 * Like render_template, but returns a stream the response sends while the template renders
 * (Flask's `stream_template`): the status and headers go out first. A missing template still
 * fails at once. Engines render whole templates, so the body arrives as one chunk.
 *
 * @example
 * app.get("/report", () => stream_template("report.html", { rows }));
 */
export function stream_template(template_name_or_list: string | string[], context: Record<string, unknown> = {}): Readable {
  const app = requireAppContext().app;
  const env = templateEnvironment(app);
  const { name } = env.lookup(template_name_or_list);
  const full = templateContext(app, context);
  return streamOf(() => rendered(app, () => name, full, () => env.render(template_name_or_list, full)));
}

/**
 * stream_template for source text (Flask's `stream_template_string`).
 *
 * @example
 * app.get("/live", () => stream_template_string("<p><%= n %> rows</p>", { n: rows.length }));
 */
export function stream_template_string(source: string, context: Record<string, unknown> = {}): Readable {
  const app = requireAppContext().app;
  const env = templateEnvironment(app);
  const full = templateContext(app, context);
  return streamOf(() => rendered(app, () => null, full, () => env.render_string(source, full)));
}
