/**
 * Flask's `app.logger`: a small Python-`logging`-shaped logger (levels, `%`-style arguments,
 * handlers, Flask's default `[time] LEVEL in module: message` line on stderr), `create_logger`
 * with Flask's debug-level rule, and `adaptLogger`, the hook that puts pino, winston or console
 * behind Flask's method names.
 *
 * Owns records, levels, formatting of lines and dispatch to handlers. It knows nothing of apps
 * beyond `{ name, debug }` and never touches the request.
 */
import { inspect } from "node:util";
import { percentFormat } from "./percent-format.js";
import { PythonValueError } from "./py-number-format.js";
import { isMapping, pyRepr, pyStr } from "./py-text.js";

export const NOTSET = 0;
export const DEBUG = 10;
export const INFO = 20;
export const WARNING = 30;
export const ERROR = 40;
export const CRITICAL = 50;

const LEVEL_NAMES = new Map<number, string>([
  [CRITICAL, "CRITICAL"], [ERROR, "ERROR"], [WARNING, "WARNING"], [INFO, "INFO"], [DEBUG, "DEBUG"], [NOTSET, "NOTSET"],
]);
const NAME_LEVELS = new Map<string, number>([...[...LEVEL_NAMES].map(([n, s]) => [s, n] as const), ["WARN", WARNING], ["FATAL", CRITICAL]]);

/**
 * The name Python's logging gives a level number: `"WARNING"` for 30, `"Level 25"` for others.
 * @example getLevelName(40); // "ERROR"
 */
export function getLevelName(level: number): string {
  return LEVEL_NAMES.get(level) ?? `Level ${level}`;
}

/** Flask's default handler format (flask.logging.default_handler). */
export const DEFAULT_FORMAT = "[%(asctime)s] %(levelname)s in %(module)s: %(message)s";

/** One logging call, as formatters and function handlers see it (Python's LogRecord). */
export interface LogRecord {
  name: string;
  levelno: number;
  levelname: string;
  /** The message before `%` formatting, and its arguments (an array, or one mapping). */
  msg: unknown;
  args: readonly unknown[] | Record<string, unknown> | Map<unknown, unknown>;
  /** `msg % args`, set when the record is formatted. */
  message: string;
  /** Seconds since the epoch, and the milliseconds part of that instant. */
  created: number;
  msecs: number;
  /** What `%(module)s` shows: the app's name (Node has no cheap caller-module lookup). */
  module: string;
  process: number;
  /** The error attached with `exception()` or `exc_info()`; `null` when `exception()` had none. */
  exc_info: unknown;
}

/** A handler is any writable stream (gets the line plus "\n") or a function (line, record). */
export type StreamHandler = { write(chunk: string): unknown };
export type FunctionHandler = (line: string, record: LogRecord) => void;
export type Handler = StreamHandler | FunctionHandler;

/** Writes to `process.stderr`, looked up on each write (Flask: `wsgi_errors_stream`). */
export const default_handler: StreamHandler = { write: (chunk: string) => process.stderr.write(chunk) };

/** Marks an error to print with a log line, like Python's `exc_info=` keyword argument. */
export class ExcInfo {
  constructor(readonly error: unknown) {}
}

/**
 * Attach an error's stack to any logging call: pass `exc_info(err)` as the last argument.
 * Mirrors Python's `logger.error(msg, exc_info=err)`.
 * @example app.logger.error("Exception on %s [%s]", path, method, exc_info(err));
 */
export function exc_info(error: unknown): ExcInfo {
  return new ExcInfo(error);
}

/** The methods Flask code calls on `app.logger`; anything with them can replace it. */
export interface FlaskLogger {
  debug(msg: unknown, ...args: unknown[]): void;
  info(msg: unknown, ...args: unknown[]): void;
  warning(msg: unknown, ...args: unknown[]): void;
  error(msg: unknown, ...args: unknown[]): void;
  exception(msg: unknown, ...args: unknown[]): void;
  critical(msg: unknown, ...args: unknown[]): void;
  log(level: number, msg: unknown, ...args: unknown[]): void;
}

export interface LoggerOptions {
  /** Initial level (number or name); default NOTSET, which defers to `inheritedLevel`. */
  level?: number | string;
  /** Default: none (a bare Logger prints nothing; `create_logger` adds `default_handler`). */
  handlers?: Handler[];
  /** A Python logging `%`-style format; default {@link DEFAULT_FORMAT}. */
  format?: string;
  /** What `%(module)s` shows; default the logger's name. */
  module?: string;
  /** Where `%(asctime)s` comes from; default `() => new Date()`. */
  clock?: () => Date;
  /** The effective level of a NOTSET logger: Python's root logger level, WARNING. */
  inheritedLevel?: number;
  /** Where formatting or handler failures are reported ("--- Logging error ---"); default stderr. */
  errorStream?: StreamHandler;
}

function resolveLevel(level: number | string): number {
  if (typeof level === "number" && Number.isInteger(level)) return level;
  const found = typeof level === "string" ? NAME_LEVELS.get(level) : undefined;
  if (found === undefined) {
    throw new RangeError(`Unknown level: ${pyRepr(level)}. Use a number or one of DEBUG, INFO, WARNING, ERROR, CRITICAL.`);
  }
  return found;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Python logging's default asctime: local time as "2026-11-25 10:02:03,123". */
export function formatAsctime(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time},${pad(date.getMilliseconds(), 3)}`;
}

/** The text printed under a line for an attached error: its stack, then each `cause`'s. */
export function formatException(error: unknown): string {
  if (error === null || error === undefined) return "NoneType: None";
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : inspect(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

function tupleRepr(args: LogRecord["args"]): string {
  if (!Array.isArray(args)) return pyRepr(args);
  return `(${args.map(pyRepr).join(", ")}${args.length === 1 ? "," : ""})`;
}

/**
 * Flask's `app.logger` (a Python `logging.Logger`): levels, `%`-style arguments, handlers.
 * Output lines follow `format`, by default Flask's `[%(asctime)s] %(levelname)s in %(module)s:
 * %(message)s`. Python's logger hierarchy is not modelled: a NOTSET logger takes `inheritedLevel`.
 *
 * @example
 * const logger = new Logger("myapp", { handlers: [process.stderr] });
 * logger.warning("A warning occurred (%d apples)", 42);
 * // [2026-11-25 10:02:03,123] WARNING in myapp: A warning occurred (42 apples)
 */
export class Logger implements FlaskLogger {
  readonly name: string;
  handlers: Handler[];
  format: string;
  module: string;
  /** Python's `logger.disabled`: when true nothing is logged. */
  disabled = false;
  #level: number;
  #inheritedLevel: number;
  #clock: () => Date;
  #errorStream: StreamHandler | undefined;

  constructor(name: string, options: LoggerOptions = {}) {
    this.name = name;
    this.handlers = [...(options.handlers ?? [])];
    this.format = options.format ?? DEFAULT_FORMAT;
    this.module = options.module ?? name;
    this.#level = resolveLevel(options.level ?? NOTSET);
    this.#inheritedLevel = options.inheritedLevel ?? WARNING;
    this.#clock = options.clock ?? (() => new Date());
    this.#errorStream = options.errorStream;
  }

  /** The level set on this logger (0 = NOTSET). */
  get level(): number {
    return this.#level;
  }

  /** Accepts a number or a level name ("DEBUG", "WARNING", ...), as Python does. */
  setLevel(level: number | string): void {
    this.#level = resolveLevel(level);
  }

  getEffectiveLevel(): number {
    return this.#level !== NOTSET ? this.#level : this.#inheritedLevel;
  }

  isEnabledFor(level: number): boolean {
    return !this.disabled && level >= this.getEffectiveLevel();
  }

  /** Adds a handler unless it is already there (Python's rule). */
  addHandler(handler: Handler): void {
    if (!this.handlers.includes(handler)) this.handlers.push(handler);
  }

  removeHandler(handler: Handler): void {
    this.handlers = this.handlers.filter((h) => h !== handler);
  }

  debug(msg: unknown, ...args: unknown[]): void {
    this.log(DEBUG, msg, ...args);
  }

  info(msg: unknown, ...args: unknown[]): void {
    this.log(INFO, msg, ...args);
  }

  warning(msg: unknown, ...args: unknown[]): void {
    this.log(WARNING, msg, ...args);
  }

  error(msg: unknown, ...args: unknown[]): void {
    this.log(ERROR, msg, ...args);
  }

  critical(msg: unknown, ...args: unknown[]): void {
    this.log(CRITICAL, msg, ...args);
  }

  /**
   * Logs at ERROR with the stack of an error. JS has no "exception being handled", so pass it as
   * the last argument (`logger.exception("Failed", err)`, or `exc_info(err)`); without one the
   * line ends with "NoneType: None", as Python prints outside an `except` block.
   */
  exception(msg: unknown, ...args: unknown[]): void {
    const last = args.at(-1);
    if (last instanceof ExcInfo) this.log(ERROR, msg, ...args);
    else if (last instanceof Error) this.log(ERROR, msg, ...args.slice(0, -1), new ExcInfo(last));
    else this.log(ERROR, msg, ...args, new ExcInfo(null));
  }

  /** Logs at any integer level; a trailing `exc_info(err)` attaches a stack. */
  log(level: number, msg: unknown, ...args: unknown[]): void {
    if (typeof level !== "number" || !Number.isInteger(level)) {
      throw new TypeError(`level must be an integer, got ${pyRepr(level)}; use DEBUG, INFO, WARNING, ERROR or CRITICAL.`);
    }
    if (!this.isEnabledFor(level)) return;
    const last = args.at(-1);
    const exc = last instanceof ExcInfo ? last : undefined;
    if (exc) args = args.slice(0, -1);
    const now = this.#clock();
    // Python's rule: one non-empty mapping argument is the mapping for %(key)s conversions.
    const only = args[0];
    const useMapping = args.length === 1 && isMapping(only) && (only instanceof Map ? only.size > 0 : Object.keys(only).length > 0);
    const record: LogRecord = {
      name: this.name, levelno: level, levelname: getLevelName(level), msg,
      args: useMapping ? (only as Record<string, unknown>) : args, message: "",
      created: now.getTime() / 1000, msecs: now.getMilliseconds(), module: this.module,
      process: process.pid, exc_info: exc ? exc.error : undefined,
    };
    let line: string;
    try {
      line = this.#formatRecord(record, now, exc !== undefined);
    } catch (error) {
      this.#reportError(error, record);
      return;
    }
    for (const handler of this.handlers) {
      try {
        if (typeof handler === "function") handler(line, record);
        else handler.write(`${line}\n`);
      } catch (error) {
        this.#reportError(error, record);
      }
    }
  }

  #formatRecord(record: LogRecord, now: Date, withException: boolean): string {
    const { msg, args } = record;
    const hasArgs = Array.isArray(args) ? args.length > 0 : true;
    record.message = hasArgs ? percentFormat(pyStr(msg), args) : pyStr(msg);
    const fields: Record<string, unknown> = { ...record, exc_info: undefined, processName: "MainProcess" };
    if (this.format.includes("%(asctime)")) fields["asctime"] = formatAsctime(now);
    let line = percentFormat(this.format, fields);
    if (withException) {
      if (!line.endsWith("\n")) line += "\n";
      line += formatException(record.exc_info);
    }
    return line;
  }

  // Logging must never break the caller: report like Python's Handler.handleError and go on.
  #reportError(error: unknown, record: LogRecord): void {
    const what = error instanceof PythonValueError ? `${error.kind}: ${error.message}` : formatException(error);
    const text = `--- Logging error ---\n${what}\nMessage: ${pyRepr(record.msg)}\nArguments: ${tupleRepr(record.args)}\n`;
    (this.#errorStream ?? default_handler).write(text);
  }
}

/** What `create_logger` needs from an app. */
export interface LoggerApp {
  readonly name: string;
  readonly debug: boolean;
}

/**
 * Flask's `create_logger`: a logger named after the app, set to DEBUG when `app.debug` is true at
 * creation (Flask's rule: only if no level was set), otherwise NOTSET, whose effective level is
 * WARNING; it writes Flask's default line to stderr (`default_handler`). `options` replaces the
 * handlers or the clock (specs capture output this way).
 *
 * Unlike Python, loggers are not shared by name: each call returns a new logger.
 *
 * @example
 * const logger = create_logger({ name: "myapp", debug: true });
 * logger.debug("shown, because the app is in debug mode");
 */
export function create_logger(app: LoggerApp, options: LoggerOptions = {}): Logger {
  const logger = new Logger(app.name, { handlers: [default_handler], ...options });
  if (app.debug && logger.level === NOTSET) logger.setLevel(DEBUG);
  return logger;
}

type LogMethod = (this: unknown, ...args: unknown[]) => unknown;

/** A logger from another library: pino, winston, bunyan, console. */
export interface ExternalLogger {
  debug?: LogMethod;
  info?: LogMethod;
  warn?: LogMethod;
  warning?: LogMethod;
  error?: LogMethod;
  fatal?: LogMethod;
  critical?: LogMethod;
}

// Most severe first; a missing method falls through to a more severe one that exists.
const ROUTES: ReadonlyArray<readonly [number, readonly (keyof ExternalLogger)[]]> = [
  [CRITICAL, ["critical", "fatal"]],
  [ERROR, ["error"]],
  [WARNING, ["warning", "warn"]],
  [INFO, ["info"]],
  [NOTSET, ["debug"]],
];

/**
 * THE hook for plugging another logger in: wraps it in a {@link Logger} whose Flask-named
 * methods call the external one, so `app.logger = adaptLogger(pino())` keeps Flask code working.
 *
 * Flask's `%` arguments are formatted here and the external logger receives one string (its own
 * timestamp and level decoration apply). `warning` calls `warning` or `warn`; `critical` calls
 * `critical`, `fatal` or `error`; `exception` calls `error` with the stack appended to the
 * string. A missing method falls back to the next more severe one. Levels are left to the
 * external logger: the wrapper passes everything on unless you `setLevel` it.
 *
 * @example
 * import pino from "pino";
 * app.logger = adaptLogger(pino());
 * app.logger.warning("A warning occurred (%d apples)", 42); // pino.warn("A warning occurred (42 apples)")
 */
export function adaptLogger(external: ExternalLogger, options: { name?: string } = {}): Logger {
  const table = ROUTES.map(([threshold, names]) => {
    const name = names.find((n) => typeof external[n] === "function");
    return [threshold, name] as const;
  });
  if (table.every(([, name]) => name === undefined)) {
    throw new TypeError("adaptLogger() needs an object with at least one of debug, info, warn, warning, error, fatal, critical methods.");
  }
  const route = (level: number): keyof ExternalLogger => {
    let chosen: keyof ExternalLogger | undefined;
    for (const [threshold, name] of table) {
      if (name !== undefined) chosen = name;
      if (level >= threshold && chosen !== undefined) return chosen;
    }
    // Below every threshold that has a method: use the least severe method there is.
    return table.findLast(([, name]) => name !== undefined)?.[1] as keyof ExternalLogger;
  };
  const forward: FunctionHandler = (line, record) => {
    (external[route(record.levelno)] as LogMethod).call(external, line);
  };
  return new Logger(options.name ?? "flaskish", { handlers: [forward], format: "%(message)s", inheritedLevel: NOTSET });
}
