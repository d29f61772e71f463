// Context locals: the AsyncLocalStorage that carries the app and request contexts through
// awaits, and the `request`, `g`, `current_app` and `session` proxies that read from it.
// Owns context push/pop; knows nothing of routing or responses.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Flask } from "./app.js";
import { drive, isThenable, type Stage, type StepRunner } from "./coroutine.js";
import { exc_info } from "./logging.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";
import type { SessionMixin } from "./session-interface.js";
import { appcontext_popped, appcontext_pushed, type Signal } from "./signals.js";
import type { MapAdapter } from "./url-adapter.js";

/**
 * Flask's `g`: a namespace for data during one app context.
 *
 * @example
 * g.user = load_user();
 * if ("user" in g) ...
 * const db = g.get("db") ?? connect();
 */
export class AppCtxGlobals {
  [name: string]: any;

  /**
   * The attribute `name`, or `default_value` when unset (Flask's `g.get`).
   *
   * @example
   * const db = g.get("db") ?? connect();
   */
  get(name: string, default_value?: unknown): any {
    return Object.hasOwn(this, name) ? this[name] : default_value;
  }

  /**
   * Removes and returns the attribute `name`; without a default, an unset name throws (Flask's `g.pop`).
   *
   * @example
   * g.pop("db", null)?.close();
   */
  pop(name: string, ...default_value: [] | [unknown]): any {
    if (!Object.hasOwn(this, name)) {
      if (default_value.length) return default_value[0];
      throw new Error(`g has no attribute ${JSON.stringify(name)}: set it first, or pass a default to g.pop().`);
    }
    const value = this[name];
    delete this[name];
    return value;
  }

  /**
   * The attribute `name`, set to `default_value` first when unset (Flask's `g.setdefault`).
   *
   * @example
   * const visits = g.setdefault("visits", []);
   */
  setdefault(name: string, default_value?: unknown): any {
    if (!Object.hasOwn(this, name)) this[name] = default_value;
    return this[name];
  }
}

/**
 * What app and request contexts share: entering the store for a callback (`run`) or for the
 * rest of the current async flow (`push`/`pop`, and `using` through Symbol.dispose).
 */
abstract class PushableContext {
  #pushed: ContextStore | undefined;
  /** How push() made the store active: in `syncStore` (with the value to restore), or in AsyncLocalStorage. */
  #restore: { sync: true; outer: ContextStore | undefined } | { sync: false } | undefined;

  /** The store this context makes active (without `active`/`parent`, which push and run add). */
  protected abstract store(): { app: AppContext; request: RequestContext | undefined };

  /** Called before the context becomes active (request contexts open their session). */
  protected willPush(): void {}

  /** Called when a pushed context is popped, while it is still active: Flask's teardown of the context. */
  protected didPop(): void {}

  /** Called once the context is active (Flask sends appcontext_pushed then). */
  protected didPush(): void {}

  /** Whether push() made it active and pop() has not ended it (a served request's context is never pushed). */
  get _pushed(): boolean {
    return this.#pushed !== undefined;
  }

  /** Called once a popped context is no longer active (Flask sends appcontext_popped then). */
  protected afterPop(): void {}

  /**
   * Runs `fn` with this context active, then pops it (Flask's `with ...:` block). The context
   * is active while `fn` runs synchronously; pop() follows as soon as it returns.
   *
   * @example
   * app.app_context().run(() => init_db());
   * const q = app.test_request_context("/?q=1").run(() => request.args.get("q"));   // "1"
   */
  run<T>(fn: () => T): T {
    if (this.#pushed === undefined) this.#enter(true);
    try {
      return fn();
    } finally {
      this.pop();
    }
  }

  /**
   * Makes this context active for the rest of the current async flow; pair with pop().
   *
   * @example
   * const ctx = new AppContext(app);
   * ctx.push();
   * try { init_db(); } finally { ctx.pop(); }
   */
  push(): void {
    // Inside a request's synchronous code, pop() comes before that code returns (or the context
    // ends with it): a plain variable is enough. Elsewhere the context must follow awaits.
    if (this.#pushed === undefined) this.#enter(syncStore !== undefined);
  }

  #enter(synchronous: boolean): void {
    this.willPush();
    const { app, request } = this.store();
    const store = new ContextStore(app, request, currentStore());
    this.#pushed = store;
    if (synchronous) {
      this.#restore = { sync: true, outer: syncStore };
      syncStore = store;
    } else {
      // Outside a request (a test, a script, start-up code) the context must follow awaits.
      // Requests keep their own way of carrying theirs (see asyncMode).
      this.#restore = { sync: false };
      pushedInStorage++;
      storage.enterWith(store);
    }
    this.didPush();
  }

  /**
   * Runs the context's teardown, then restores whatever was active before push().
   *
   * A pushed store can outlive pop() in flows that captured it (a `using` in an async function
   * leaks into its caller's continuation, as AsyncLocalStorage.enterWith does); it is marked
   * inactive, so those flows see the context that was active before instead.
   *
   * @example
   * const ctx = app.test_request_context("/");   // already pushed
   * try { run_checks(); } finally { ctx.pop(); }
   */
  pop(): void {
    const store = this.#pushed;
    const restore = this.#restore;
    if (store === undefined || restore === undefined) return;
    try {
      this.didPop();
    } finally {
      this.#pushed = undefined;
      this.#restore = undefined;
      store.active = false;
      if (restore.sync) {
        if (syncStore === store) syncStore = restore.outer;
      } else {
        storage.enterWith(store.parent as ContextStore);
        // The last pushed context is gone and no request needs AsyncLocalStorage: switch its
        // hooks off again (`app.app_context()` at start-up would otherwise cost every request).
        if (--pushedInStorage === 0 && !asyncMode) storage.disable();
      }
    }
    this.afterPop();
  }

  /** `using ctx = app.app_context();` pushes now and pops at the end of the block. */
  [Symbol.dispose](): void {
    this.pop();
  }
}

/** Runs a teardown stage; an async hook's failure is logged, since pop() cannot wait for it. */
function runTeardown(app: Flask, stage: Stage<void>): void {
  const done = drive(stage);
  if (done instanceof Promise) done.catch((error: unknown) => app.logger.exception("Error in a teardown function", exc_info(error)));
}

type AfterThisRequest = (response: Response) => Response | void | Promise<Response | void>;

/**
 * What runs while an app is active: the app and its `g`.
 *
 * @example
 * { using ctx = app.app_context(); ctx.g.db = connect(); init_db(); }
 * app.app_context().run(() => current_app.logger.info("ready"));
 */
export class AppContext extends PushableContext {
  readonly app: Flask;
  #g: AppCtxGlobals | undefined;

  constructor(app: Flask) {
    super();
    this.app = app;
  }

  /** This context's `g`, made on first use (most requests never touch it). */
  get g(): AppCtxGlobals {
    return (this.#g ??= new this.app.app_ctx_globals_class());
  }

  protected store(): { app: AppContext; request: RequestContext | undefined } {
    return { app: this, request: undefined };
  }

  protected override didPop(): void {
    runTeardown(this.app, this.app.do_teardown_appcontext(null));
  }

  protected override didPush(): void {
    sendFromContext(appcontext_pushed, this.app);
  }

  protected override afterPop(): void {
    sendFromContext(appcontext_popped, this.app);
  }
}

// A signal sent by push or pop, which cannot wait: an async receiver's failure is logged.
function sendFromContext(signal: Signal<Record<string, never>>, app: Flask): void {
  if (signal.receivers.size === 0) return;
  for (const [, value] of signal.send(app, {})) {
    if (isThenable(value)) Promise.resolve(value).catch((error: unknown) => app.logger.exception(`Error in a ${signal.name} receiver`, exc_info(error)));
  }
}

/**
 * Everything that belongs to one request: its app context, request, session and hooks.
 *
 * @example
 * { using ctx = app.test_request_context("/?q=1"); ctx.request.args.get("q"); }   // "1"
 */
export class RequestContext extends PushableContext {
  readonly app: Flask;
  readonly request: Request;
  #appCtx: AppContext | undefined;
  /** The session, opened by the pipeline before the view runs. */
  session: SessionMixin | undefined;
  /** True when `session` is the null session the pipeline made because open_session gave none. */
  _session_is_null = false;
  #afterRequest: AfterThisRequest[] | undefined;
  #urlAdapter: MapAdapter | undefined;
  #extra: Map<string | symbol, unknown> | undefined;

  readonly #ownsAppContext: boolean;

  /** `app_ctx`: an active app context of the same app to share (and its `g`), as Flask does. */
  constructor(app: Flask, request: Request, app_ctx?: AppContext) {
    super();
    this.app = app;
    this.request = request;
    this.#ownsAppContext = app_ctx === undefined;
    this.#appCtx = app_ctx;
  }

  /** Whether the request has its own app context (none of its app was active when it was made), as Flask pushes one then. */
  get _owns_app_context(): boolean {
    return this.#ownsAppContext;
  }

  /** The app context this request runs in: the one given, else its own, made on first use (most requests never need it). */
  get app_ctx(): AppContext {
    return (this.#appCtx ??= new AppContext(this.app));
  }

  /**
   * The `g` of this request's app context.
   *
   * @example
   * { using ctx = app.test_request_context(); ctx.g.user = "ann"; g.user; }   // "ann"
   */
  get g(): AppCtxGlobals {
    return this.app_ctx.g;
  }

  /**
   * The URL map bound to this request's host, subdomain and mount point (Flask's
   * `ctx.url_adapter`), made on first use: url_for builds with it.
   *
   * @example
   * app.test_request_context("/", { base_url: "http://alice.example.com" }).url_adapter.subdomain;   // "alice" (SERVER_NAME "example.com", subdomain_matching)
   */
  get url_adapter(): MapAdapter {
    return (this.#urlAdapter ??= this.app.create_url_adapter(this.request) as MapAdapter);
  }

  /** Functions from `after_this_request()`, run before the app's after_request hooks. */
  get _after_request_functions(): AfterThisRequest[] {
    return (this.#afterRequest ??= []);
  }

  /** Whether after_this_request() registered anything (saves making the list on every request). */
  get _has_after_request_functions(): boolean {
    return this.#afterRequest !== undefined && this.#afterRequest.length > 0;
  }

  /** Scratch space for extensions (flashes cache and the like), keyed by their own names. */
  get _extra(): Map<string | symbol, unknown> {
    return (this.#extra ??= new Map());
  }

  protected store(): { app: AppContext; request: RequestContext | undefined } {
    return { app: this.app_ctx, request: this };
  }

  // Flask's RequestContext.pop: teardown_request hooks, the app context's teardown (when this
  // request made its app context), then the request's resources (spooled uploads).
  protected override didPop(): void {
    runTeardown(this.app, this.app.do_teardown_request(this, null));
    if (this.#ownsAppContext) runTeardown(this.app, this.app.do_teardown_appcontext(null));
    this.request.close();
  }

  protected override willPush(): void {
    this.#ensureSession();
  }

  // A request context pushed on its own pushes its app context, as in Flask.
  protected override didPush(): void {
    if (this.#ownsAppContext) sendFromContext(appcontext_pushed, this.app);
  }

  protected override afterPop(): void {
    if (this.#ownsAppContext) sendFromContext(appcontext_popped, this.app);
  }

  // Test contexts open the session synchronously where the interface allows it, as Flask's push does.
  #ensureSession(): void {
    if (this.session !== undefined) return;
    const opened = this.app.session_interface.open_session(this.app, this.request);
    if (opened !== null && !isThenable(opened)) {
      this.session = opened as SessionMixin;
    } else if (opened === null) {
      this.session = this.app.session_interface.make_null_session(this.app);
    }
  }
}

/** One active context: what the proxies read. Also runs a request's steps with itself active. */
class ContextStore implements StepRunner {
  /** False once a pushed context was popped (see PushableContext.pop). */
  active = true;
  #app: AppContext | undefined;

  /** `app` undefined: the request's app context, asked for only when something needs it. */
  constructor(
    app: AppContext | undefined,
    readonly request: RequestContext | undefined,
    /** What was active when this store was entered. */
    readonly parent: ContextStore | undefined,
  ) {
    this.#app = app;
  }

  get app(): AppContext {
    return this.#app ?? this.request!.app_ctx;
  }

  /** Runs one synchronous step of the request's pipeline with this store in `syncStore`. */
  step<R>(fn: () => R): R {
    const outer = syncStore;
    syncStore = this;
    try {
      return fn();
    } finally {
      syncStore = outer;
    }
  }
}

// Where the active context lives. AsyncLocalStorage carries it through awaits, but on Node 20
// an AsyncLocalStorage in use hooks every async resource and promise the process makes, which
// costs more than the rest of a small request. So while no code has needed it, a request runs
// with its context in `syncStore`, a plain variable set only while the request's own code runs
// synchronously; the first `async` view or hook, promise-returning hook or streamed template
// turns `asyncMode` on for good, and from then on every request enters AsyncLocalStorage.
// Contexts pushed outside requests (tests, start-up code) use AsyncLocalStorage while pushed.
const storage = new AsyncLocalStorage<ContextStore>();
let syncStore: ContextStore | undefined;
let asyncMode = false;
/** Contexts pushed into AsyncLocalStorage (outside requests) and not popped yet. */
let pushedInStorage = 0;

/** The innermost context that is still active. */
function currentStore(): ContextStore | undefined {
  let store = syncStore ?? storage.getStore();
  while (store !== undefined && !store.active) store = store.parent;
  return store;
}

const AsyncFunction = (async () => {}).constructor;
const AsyncGeneratorFunction = (async function* () {}).constructor;

/** Whether `fn` is declared `async` (an async function or async generator function). */
function isAsyncFunction(fn: Function): boolean {
  return fn instanceof AsyncFunction || fn instanceof AsyncGeneratorFunction;
}

/**
 * Whether requests carry their context in AsyncLocalStorage yet (see above): false until some
 * code needed it. For tests and diagnostics.
 */
export function contextUsesAsyncLocalStorage(): boolean {
  return asyncMode;
}

/**
 * Calls a user function (view, hook, error handler) of the request running now, with no
 * argument or one. An `async` function runs inside AsyncLocalStorage, so `request` and `g`
 * still work after its awaits; a plain function that returns a promise turns
 * AsyncLocalStorage on for the requests after it.
 */
export function invoke<R>(fn: () => R): R;
export function invoke<A, R>(fn: (arg: A) => R, arg: A): R;
export function invoke(fn: (arg?: unknown) => unknown, arg?: unknown): unknown {
  const store = syncStore;
  const withArg = arguments.length > 1;
  if (store !== undefined && isAsyncFunction(fn)) return invokeAsync(store, fn, withArg, arg);
  return noteResult(store, withArg ? fn(arg) : fn());
}

// The closures live here, not in invoke(): a function whose variables a closure captures
// allocates their context on every call, even when the closure is never made.
function invokeAsync(store: ContextStore, fn: (arg?: unknown) => unknown, withArg: boolean, arg: unknown): unknown {
  return runAsync(store, withArg ? () => fn(arg) : () => fn());
}

// An async user function of a synchronous request: from now on, requests use AsyncLocalStorage.
function runAsync<R>(store: ContextStore, call: () => R): R {
  asyncMode = true;
  return storage.run(store, call);
}

// A plain user function that returned a promise: its callbacks will need AsyncLocalStorage.
function noteResult<R>(store: ContextStore | undefined, result: R): R {
  if (store !== undefined && !asyncMode && isThenable(result)) asyncMode = true;
  return result;
}

/** invoke() for a method of a user object (a session interface's open_session and save_session, a class-based view's). */
export function invokeMethod<A, B, C, R>(self: object, method: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R;
export function invokeMethod<A, B, R>(self: object, method: (a: A, b: B) => R, a: A, b: B): R;
export function invokeMethod<A, R>(self: object, method: (a: A) => R, a: A): R;
export function invokeMethod(self: object, method: (...args: unknown[]) => unknown, a: unknown, b?: unknown, c?: unknown): unknown {
  const three = arguments.length > 4;
  const store = syncStore;
  if (store !== undefined && isAsyncFunction(method)) return invokeMethodAsync(store, self, method, three, a, b, c);
  return noteResult(store, three ? method.call(self, a, b, c) : method.call(self, a, b));
}

function invokeMethodAsync(store: ContextStore, self: object, method: (...args: unknown[]) => unknown, three: boolean, a: unknown, b: unknown, c: unknown): unknown {
  return runAsync(store, () => (three ? method.call(self, a, b, c) : method.call(self, a, b)));
}

/**
 * Runs `fn` (whose callbacks may run later, such as a template engine's) with the current
 * context carried by AsyncLocalStorage.
 */
export function withAsyncContext<T>(fn: () => T): T {
  const store = syncStore;
  return store === undefined ? fn() : runAsync(store, fn);
}

/** The active app context (or undefined), for contexts that share it. */
export function activeAppContext(): AppContext | undefined {
  return currentStore()?.app;
}

/** Runs `fn` with `ctx` active, carried through its awaits (a streamed template renders this way). */
export function runInContext<T>(ctx: RequestContext, fn: () => T): T {
  asyncMode = true;
  return runInStorage(new ContextStore(undefined, ctx, undefined), fn);
}

// storage.run() for a store other than the one in `syncStore` (which the proxies read first).
function runInStorage<T>(store: ContextStore, fn: () => T): T {
  const outer = syncStore;
  syncStore = undefined;
  try {
    return storage.run(store, fn);
  } finally {
    syncStore = outer;
  }
}

/**
 * Runs a request's pipeline with `ctx` active: in AsyncLocalStorage once asyncMode is on, else
 * by setting `syncStore` around each synchronous step of the stage (see lib/coroutine.ts).
 */
export function driveInContext<T>(ctx: RequestContext, stage: Stage<T>): T | Promise<T> {
  return callInContext(ctx, stage, driveStage);
}

function driveStage<T>(this: Stage<T>, _ctx: RequestContext, runner: StepRunner): T | Promise<T> {
  return drive(this, runner);
}

/**
 * Calls `fn` (a method of `self`) with `ctx` active and returns what it returns; `runner` runs
 * later steps (after an await) with `ctx` active again. No closure is made unless asyncMode is on.
 */
export function callInContext<S, T>(ctx: RequestContext, self: S, fn: (this: S, ctx: RequestContext, runner: StepRunner) => T): T {
  const store = new ContextStore(undefined, ctx, undefined);
  if (asyncMode) return callInStorage(store, self, fn, ctx);
  const outer = syncStore;
  syncStore = store;
  try {
    return fn.call(self, ctx, store);
  } finally {
    syncStore = outer;
  }
}

function callInStorage<S, T>(store: ContextStore, self: S, fn: (this: S, ctx: RequestContext, runner: StepRunner) => T, ctx: RequestContext): T {
  return runInStorage(store, () => fn.call(self, ctx, store));
}

const REQUEST_HELP =
  "Working outside of request context.\n\nThis typically means that you attempted to use functionality that needed\n" +
  "an active HTTP request. Use app.test_request_context() in tests or scripts\n(its run() callback, or `using`).";
const APP_HELP =
  "Working outside of application context.\n\nThis typically means that you attempted to use functionality that needed\n" +
  "the current application. Wrap the code in app.app_context().run(() => ...)\nor `using ctx = app.app_context()`.";

/** The active request context, or undefined. */
export function requestContext(): RequestContext | undefined {
  return currentStore()?.request;
}

/** The active request context; throws Flask's "Working outside of request context" otherwise. */
export function requireRequestContext(): RequestContext {
  const ctx = currentStore()?.request;
  if (ctx === undefined) throw new RuntimeError(REQUEST_HELP);
  return ctx;
}

/** The active app context; throws Flask's "Working outside of application context" otherwise. */
export function requireAppContext(): AppContext {
  const ctx = currentStore()?.app;
  if (ctx === undefined) throw new RuntimeError(APP_HELP);
  return ctx;
}

/** Python's RuntimeError, which Flask raises for context misuse. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

function localProxy<T extends object>(resolve: () => T, label: string): T {
  return new Proxy(Object.create(null) as T, {
    get: (_t, prop) => {
      if (prop === Symbol.toStringTag) return label;
      const target = resolve();
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" && prop !== "constructor" ? value.bind(target) : value;
    },
    set: (_t, prop, value) => Reflect.set(resolve(), prop, value),
    has: (_t, prop) => Reflect.has(resolve(), prop),
    deleteProperty: (_t, prop) => Reflect.deleteProperty(resolve(), prop),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_t, prop) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(resolve(), prop);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
  });
}

/**
 * The current request (Flask's `request` proxy). Only valid while a request is handled, or
 * inside `app.test_request_context()`.
 *
 * @example
 * app.route("/login", { methods: ["GET", "POST"] }, () => request.method === "POST" ? do_the_login() : show_the_login_form());
 */
export const request: Request = localProxy(() => requireRequestContext().request, "request");

/**
 * Per-app-context storage (Flask's `g`).
 *
 * @example
 * g.user = await load_user(session.user_id);
 * if ("user" in g) console.log(g.user.name);
 */
export const g: AppCtxGlobals = localProxy(() => requireAppContext().g, "g");

/**
 * The app handling the current request or active app context (Flask's `current_app`).
 *
 * @example
 * current_app.logger.info("user logged in");
 * const per_page = current_app.config.PER_PAGE;
 */
export const current_app: Flask = localProxy(() => requireAppContext().app, "current_app");

/**
 * The current session (Flask's `session`): a dict-like object, see the session module.
 *
 * @example
 * session.username = request.form["username"];
 * if (session.has("username")) ...
 * session.pop("username", null);
 */
export const session: SessionMixin = localProxy(() => {
  const ctx = requireRequestContext();
  if (ctx.session === undefined) throw new RuntimeError("The session is not open yet: it opens before before_request hooks run.");
  return ctx.session;
}, "session");

/**
 * True while a request is being handled (Flask's `has_request_context()`).
 *
 * @example
 * const ip = has_request_context() ? request.remote_addr : undefined;
 */
export function has_request_context(): boolean {
  return currentStore()?.request !== undefined;
}

/**
 * True while an app context is active (Flask's `has_app_context()`).
 *
 * @example
 * if (has_app_context()) current_app.logger.info("inside the app");
 */
export function has_app_context(): boolean {
  return currentStore()?.app !== undefined;
}
