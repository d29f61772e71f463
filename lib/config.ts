/**
 * Flask's `Config`: a plain mutable mapping holding Flask's default keys, with Flask's loaders
 * (`from_object`, `from_mapping`, `from_file`, `from_envvar`, `from_prefixed_env`) and
 * `get_namespace`.
 *
 * Config keys are the instance's own enumerable properties, so `config["DEBUG"]`,
 * `config.SECRET_KEY = "x"`, `Object.keys(config)` and `{ ...config }` behave like a plain
 * object; the methods live on the prototype and never show up as keys. Owns reading config
 * files and environment variables; knows nothing of apps or requests.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { inspect } from "node:util";

/** Flask 3.1's built-in keys and their value types. */
export interface FlaskConfigKeys {
  DEBUG: boolean;
  TESTING: boolean;
  PROPAGATE_EXCEPTIONS: boolean | null;
  SECRET_KEY: string | Buffer | null;
  SECRET_KEY_FALLBACKS: (string | Buffer)[] | null;
  /** Seconds (Flask: `timedelta(days=31)`; flaskish stores durations as seconds: 2678400). */
  PERMANENT_SESSION_LIFETIME: number;
  USE_X_SENDFILE: boolean;
  TRUSTED_HOSTS: string[] | null;
  SERVER_NAME: string | null;
  APPLICATION_ROOT: string;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string | null;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_PARTITIONED: boolean;
  SESSION_COOKIE_SAMESITE: "Strict" | "Lax" | "None" | null;
  SESSION_REFRESH_EACH_REQUEST: boolean;
  MAX_CONTENT_LENGTH: number | null;
  MAX_FORM_MEMORY_SIZE: number | null;
  MAX_FORM_PARTS: number | null;
  /** Seconds, or null for conditional requests only (Flask also takes a timedelta). */
  SEND_FILE_MAX_AGE_DEFAULT: number | null;
  TRAP_BAD_REQUEST_ERRORS: boolean | null;
  TRAP_HTTP_EXCEPTIONS: boolean;
  EXPLAIN_TEMPLATE_LOADING: boolean;
  PREFERRED_URL_SCHEME: string;
  TEMPLATES_AUTO_RELOAD: boolean | null;
  MAX_COOKIE_SIZE: number;
  PROVIDE_AUTOMATIC_OPTIONS: boolean;
}

/** What `app.config` is typed as: Flask's keys typed, any other key allowed. */
export type ConfigMapping = Config & FlaskConfigKeys & Record<string, any>;

/**
 * A fresh copy of the defaults of `flask.Flask(__name__).config` in Flask 3.1 (durations in
 * seconds).
 * @example const config = new Config(root, defaultConfig()) as ConfigMapping;
 */
export function defaultConfig(): FlaskConfigKeys & Record<string, unknown> {
  return {
    DEBUG: false,
    TESTING: false,
    PROPAGATE_EXCEPTIONS: null,
    SECRET_KEY: null,
    SECRET_KEY_FALLBACKS: null,
    PERMANENT_SESSION_LIFETIME: 31 * 24 * 60 * 60,
    USE_X_SENDFILE: false,
    TRUSTED_HOSTS: null,
    SERVER_NAME: null,
    APPLICATION_ROOT: "/",
    SESSION_COOKIE_NAME: "session",
    SESSION_COOKIE_DOMAIN: null,
    SESSION_COOKIE_PATH: null,
    SESSION_COOKIE_HTTPONLY: true,
    SESSION_COOKIE_SECURE: false,
    SESSION_COOKIE_PARTITIONED: false,
    SESSION_COOKIE_SAMESITE: null,
    SESSION_REFRESH_EACH_REQUEST: true,
    MAX_CONTENT_LENGTH: null,
    MAX_FORM_MEMORY_SIZE: 500_000,
    MAX_FORM_PARTS: 1_000,
    SEND_FILE_MAX_AGE_DEFAULT: null,
    TRAP_BAD_REQUEST_ERRORS: null,
    TRAP_HTTP_EXCEPTIONS: false,
    EXPLAIN_TEMPLATE_LOADING: false,
    PREFERRED_URL_SCHEME: "http",
    TEMPLATES_AUTO_RELOAD: null,
    MAX_COOKIE_SIZE: 4093,
    PROVIDE_AUTOMATIC_OPTIONS: true,
  };
}

/** Python's `str.isupper()`: some cased character, and no lowercase one. */
function isUpper(key: string): boolean {
  return key !== key.toLowerCase() && key === key.toUpperCase();
}

type MappingLike = Record<string, unknown> | Map<string, unknown> | Iterable<readonly [string, unknown]>;

function entriesOf(mapping: MappingLike): [string, unknown][] {
  if (mapping instanceof Map) return [...mapping];
  if (Symbol.iterator in mapping) return [...(mapping as Iterable<readonly [string, unknown]>)].map(([k, v]) => [k, v]);
  return Object.entries(mapping);
}

const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
};

const MODULE_FILE = /\.(?:[cm]?js|[cm]?ts)$/i;

export interface FromFileOptions {
  /** Return false instead of throwing when the file is missing (or is a directory). */
  silent?: boolean;
  /** Read the file as UTF-8 text (default) or hand `load` a Buffer. */
  text?: boolean;
}

/**
 * Flask's `Config`. Keys are own properties; only the loaders' UPPERCASE rule (Flask's) decides
 * what files and objects contribute. Create it with Flask's defaults and type it as
 * {@link ConfigMapping}:
 *
 * @example
 * const config = new Config("/srv/app", defaultConfig()) as ConfigMapping;
 * config.from_file("settings.json");
 * config.SECRET_KEY = "dev";
 * config.get_namespace("IMAGE_STORE_"); // { type: "fs", ... }
 */
export class Config {
  #rootPath: string;

  constructor(root_path: string, defaults?: Record<string, unknown>) {
    this.#rootPath = root_path;
    if (defaults) Object.assign(this, defaults);
  }

  /** The folder relative file names are read from (the app's root_path). */
  get root_path(): string {
    return this.#rootPath;
  }

  set root_path(value: string) {
    this.#rootPath = value;
  }

  get #map(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  /**
   * Python's `key in config`.
   *
   * @example
   * if (!app.config.has("DATABASE_URL")) throw new Error("Set DATABASE_URL.");
   */
  has(key: string): boolean {
    return Object.hasOwn(this, key);
  }

  /**
   * Python's `dict.get`: the value, or `defaultValue` (undefined) when the key is absent.
   *
   * @example
   * const per_page = app.config.get("PER_PAGE", 20);
   */
  get<T = unknown>(key: string, defaultValue?: T): T | undefined {
    return this.has(key) ? (this.#map[key] as T) : defaultValue;
  }

  /**
   * Python's `dict.setdefault`: sets the key only if absent; returns the value now there.
   *
   * @example
   * app.config.setdefault("UPLOAD_FOLDER", "uploads");
   */
  setdefault<T>(key: string, defaultValue: T): T {
    if (!this.has(key)) this.#map[key] = defaultValue;
    return this.#map[key] as T;
  }

  /**
   * Python's `dict.update`: every key, whatever its case.
   *
   * @example
   * app.config.update({ TESTING: true, SECRET_KEY: "dev" });
   */
  update(mapping?: MappingLike | null, kwargs?: Record<string, unknown>): void {
    for (const [key, value] of [...entriesOf(mapping ?? {}), ...Object.entries(kwargs ?? {})]) this.#map[key] = value;
  }

  /**
   * Copies the UPPERCASE properties of an object, a class (its static fields) or an imported
   * module namespace, inherited ones included. Flask also accepts an import string; in Node
   * import the module yourself (`from_object(await import("./settings.js"))`).
   *
   * @example
   * app.config.from_object(await import("./settings.js"));   // its UPPERCASE exports
   * app.config.from_object(class { static DEBUG = false; static PER_PAGE = 20; });
   */
  from_object(obj: object): void {
    if (typeof obj === "string") {
      throw new TypeError(
        `from_object() takes an object, a class or a module namespace, not the import name '${obj}': ` +
          `import it first, e.g. config.from_object(await import("${obj}")).`,
      );
    }
    const keys = new Set<string>();
    for (let o: object | null = obj; o && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Object.getOwnPropertyNames(o)) if (isUpper(key)) keys.add(key);
    }
    const source = obj as Record<string, unknown>;
    for (const key of [...keys].sort()) this.#map[key] = source[key];
  }

  /**
   * Like `update` but only UPPERCASE keys are taken (Flask's rule). Always returns true.
   *
   * @example
   * app.config.from_mapping({ SECRET_KEY: "dev", DATABASE: "app.sqlite" });
   */
  from_mapping(mapping?: MappingLike | null, kwargs?: Record<string, unknown>): boolean {
    for (const [key, value] of [...entriesOf(mapping ?? {}), ...Object.entries(kwargs ?? {})]) {
      if (isUpper(key)) this.#map[key] = value;
    }
    return true;
  }

  /**
   * Reads a file (relative to `root_path`), parses it with `load` (default `JSON.parse`; it gets
   * the text, or a Buffer when `text: false`) and passes the result to `from_mapping`. Flask's
   * `load` takes a file handle; here it takes the contents.
   * @returns true, or false when `silent` and the file is missing.
   *
   * @example
   * app.config.from_file("config.json");
   * app.config.from_file("config.toml", toml.parse, { silent: true });
   */
  from_file(filename: string, load?: (contents: string) => unknown, options?: FromFileOptions & { text?: true }): boolean;
  from_file(filename: string, load: (contents: Buffer) => unknown, options: FromFileOptions & { text: false }): boolean;
  from_file(filename: string, load: (contents: never) => unknown = JSON.parse, options: FromFileOptions = {}): boolean {
    const path = resolve(this.#rootPath, filename);
    let contents: string | Buffer;
    try {
      contents = options.text === false ? readFileSync(path) : readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (options.silent && (code === "ENOENT" || code === "EISDIR")) return false;
      const reason = STRERROR[code] ?? (error as Error).message;
      throw Object.assign(new Error(`Unable to load configuration file (${reason}): '${path}'`, { cause: error }), { code });
    }
    let loaded: unknown;
    try {
      loaded = (load as (c: string | Buffer) => unknown)(contents);
    } catch (error) {
      throw new Error(`Unable to parse configuration file '${path}': ${(error as Error).message}`, { cause: error });
    }
    if (loaded === null || typeof loaded !== "object" || Array.isArray(loaded)) {
      const got = Array.isArray(loaded) ? "an array" : loaded === null ? "null" : typeof loaded;
      throw new TypeError(`Configuration file '${path}' must hold an object of keys, got ${got}.`);
    }
    return this.from_mapping(loaded as MappingLike);
  }

  /**
   * Loads the JSON file named by an environment variable (Flask loads a Python file there; use
   * `from_object(await import(path))` for a JS module). Relative paths resolve against root_path.
   * @returns true, or false when `silent` and the variable is unset or the file is missing.
   *
   * @example
   * app.config.from_envvar("YOURAPPLICATION_SETTINGS");   // a JSON file path; throws when unset
   * app.config.from_envvar("YOURAPPLICATION_SETTINGS", true);   // false instead of throwing
   */
  from_envvar(variable_name: string, silent = false, env: NodeJS.ProcessEnv = process.env): boolean {
    const filename = env[variable_name];
    if (!filename) {
      if (silent) return false;
      throw new Error(
        `The environment variable '${variable_name}' is not set and as such configuration could not be loaded. ` +
          "Set this variable and make it point to a configuration file",
      );
    }
    if (MODULE_FILE.test(filename)) {
      throw new TypeError(
        `${variable_name} points to a module ('${filename}'); from_envvar() reads JSON files. ` +
          `Load modules with config.from_object(await import(process.env.${variable_name})).`,
      );
    }
    return this.from_file(filename, JSON.parse, { silent });
  }

  /**
   * Sets a key for each `PREFIX_*` environment variable, in sorted order, without the prefix.
   * Values go through `loads` (default `JSON.parse`), staying strings when it throws;
   * `PREFIX_A__B` sets `config.A.B`, creating `A` as `{}` if missing. Keys keep their case.
   * @example
   * // FLASK_SECRET_KEY='"s3"' FLASK_SQLALCHEMY__echo=true
   * config.from_prefixed_env(); // SECRET_KEY: "s3", SQLALCHEMY: { echo: true }
   */
  from_prefixed_env(
    prefix = "FLASK",
    { loads = JSON.parse, env = process.env }: { loads?: (value: string) => unknown; env?: NodeJS.ProcessEnv } = {},
  ): boolean {
    const start = `${prefix}_`;
    // Python's sorted() compares code points; JS's default sort compares UTF-16 units.
    const names = Object.keys(env).filter((k) => k.startsWith(start)).sort((a, b) => {
      const [x, y] = [[...a].map((c) => c.codePointAt(0) ?? 0), [...b].map((c) => c.codePointAt(0) ?? 0)];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    });
    for (const name of names) {
      const raw = env[name] ?? "";
      let value: unknown = raw;
      try {
        value = loads(raw);
      } catch {
        // Not JSON: keep the string, as Flask does.
      }
      const parts = name.slice(start.length).split("__");
      const tail = parts.pop() ?? "";
      let current = this.#map;
      for (const part of parts) {
        if (!Object.hasOwn(current, part)) current[part] = {};
        const next = current[part];
        if (next === null || typeof next !== "object") {
          throw new TypeError(`${name}: cannot set '${tail}' inside '${part}', which is ${inspect(next)}, not an object.`);
        }
        current = next as Record<string, unknown>;
      }
      current[tail] = value;
    }
    return true;
  }

  /**
   * The keys starting with `namespace`, by default without it and lowercased.
   * @example
   * config.get_namespace("IMAGE_STORE_"); // { type: "fs", path: "/var/app/images" }
   */
  get_namespace(namespace: string, { lowercase = true, trim_namespace = true } = {}): Record<string, unknown> {
    const rv: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (!k.startsWith(namespace)) continue;
      let key = trim_namespace ? k.slice(namespace.length) : k;
      if (lowercase) key = key.toLowerCase();
      rv[key] = v;
    }
    return rv;
  }

  /**
   * Shown by console.log and util.inspect like Flask's repr: `<Config { DEBUG: false, ... }>`.
   *
   * @example
   * console.log(app.config);   // <Config { DEBUG: false, TESTING: false, ... }>
   */
  [inspect.custom](_depth: number, options: object): string {
    return `<Config ${inspect({ ...this }, options)}>`;
  }
}
