// Finding the app for the flaskish command, as Flask's ScriptInfo.load_app does: `--app` as a
// module path, `module:name` or `module:factory(args)`, else `wsgi` and `app` modules in the
// current folder. Owns module resolution, import and the "which export is the app" rules;
// every failure is a NoAppException whose message names the file.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Flask } from "../app.js";
import { parseFactoryCall, pyQuote } from "./literal.js";

/**
 * The app could not be found or loaded (Flask's NoAppException); the message says what to do.
 *
 * @example
 * // $ flaskish --app nope routes
 * // Error: <the NoAppException's message>      (printed under the usage line; exit code 2)
 */
export class NoAppException extends Error {
  override name = "NoAppException";
}

/** The file extensions an app module may have, tried in this order. */
export const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;

/**
 * True for a Flask app. Duck-typed as well as `instanceof`, so an app built with another copy of
 * flaskish (the published build beside the sources) is still recognised.
 */
export function isFlaskApp(value: unknown): value is Flask {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Flask>;
  return typeof candidate.wsgi_app === "function" && typeof candidate.test_client === "function" && candidate.url_map !== undefined && candidate.config !== undefined;
}

/** Splits `module:name` on the first colon that is not a Windows drive's (Flask's rule). */
export function splitAppImportPath(value: string): [module: string, name: string | null] {
  const match = /:(?![\\/])/.exec(value);
  if (match === null) return [value, null];
  return [value.slice(0, match.index), value.slice(match.index + 1)];
}

/**
 * The file a module path names: the file itself, the path plus one of
 * {@link MODULE_EXTENSIONS}, a folder's index or app module, or a dotted name as a path
 * (`demo.hello` is `demo/hello`). Undefined when there is none.
 */
export function resolveModuleFile(modulePath: string, cwd: string): string | undefined {
  const candidates = [modulePath];
  if (!modulePath.includes("/") && !modulePath.includes("\\") && /^[\w.]+$/.test(modulePath) && modulePath.includes(".")) {
    candidates.push(modulePath.replace(/\./g, "/"));
  }
  for (const candidate of candidates) {
    const base = path.resolve(cwd, candidate);
    if (isFile(base)) return base;
    for (const ext of MODULE_EXTENSIONS) if (isFile(base + ext)) return base + ext;
    if (isDirectory(base)) {
      for (const stem of ["index", "app"]) for (const ext of MODULE_EXTENSIONS) if (isFile(path.join(base, stem + ext))) return path.join(base, stem + ext);
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Where the app's module is, without importing it (the reloader watches its folder). */
export function locateAppFile(appImportPath: string | null, cwd: string): string | undefined {
  if (appImportPath !== null) return resolveModuleFile(splitAppImportPath(appImportPath)[0], cwd);
  for (const name of ["wsgi", "app"]) {
    const file = resolveModuleFile(name, cwd);
    if (file !== undefined) return file;
  }
  return undefined;
}

async function importModule(file: string, label: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    throw new NoAppException(`While importing ${pyQuote(label)} (${file}), an error was raised:\n\n${detail}`, { cause: error });
  }
}

/** Flask's find_best_app: `app`, `application`, the only Flask export, then a factory. */
export async function findBestApp(module: Record<string, unknown>, label: string, file: string): Promise<Flask> {
  for (const name of ["app", "application"]) if (isFlaskApp(module[name])) return module[name];
  const matches = [...new Set(Object.values(module).filter(isFlaskApp))];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new NoAppException(`Detected multiple Flask applications in module ${pyQuote(label)} (${file}). Use '${label}:name' to specify the correct one.`);
  }
  for (const name of ["create_app", "make_app"]) {
    const factory = module[name];
    if (typeof factory !== "function") continue;
    if (factory.length > 0) {
      throw new NoAppException(
        `Detected factory '${name}' in module ${pyQuote(label)} (${file}), but could not call it without arguments. Use '${label}:${name}(args)' to specify arguments.`,
      );
    }
    const app: unknown = await factory();
    if (isFlaskApp(app)) return app;
  }
  throw new NoAppException(`Failed to find Flask application or factory in module ${pyQuote(label)} (${file}). Use '${label}:name' to specify one.`);
}

/** Flask's find_app_by_string: an export by name, called with literal arguments if it is a function. */
export async function findAppByString(module: Record<string, unknown>, label: string, file: string, appName: string): Promise<Flask> {
  let call;
  try {
    call = parseFactoryCall(appName);
  } catch (error) {
    throw new NoAppException((error as Error).message);
  }
  if (!Object.hasOwn(module, call.name)) {
    throw new NoAppException(`Failed to find attribute ${pyQuote(call.name)} in ${pyQuote(label)} (${file}): export it, or name another export.`);
  }
  const attr = module[call.name];
  // A class is not a factory: Flask's inspect.isfunction is false for it too.
  const isFactory = typeof attr === "function" && !/^class[\s{]/.test(Function.prototype.toString.call(attr));
  const app: unknown = isFactory ? await (attr as (...args: unknown[]) => unknown)(...call.args) : attr;
  if (isFlaskApp(app)) return app;
  throw new NoAppException(`A valid Flask application was not obtained from '${label}:${appName}' (${file}).`);
}

/**
 * Loads the app the way `flask --app` does (Flask's ScriptInfo.load_app).
 *
 * @example
 * const app = await loadApp("hello:create_app('dev')", process.cwd());
 */
export async function loadApp(appImportPath: string | null, cwd: string): Promise<{ app: Flask; file: string }> {
  if (appImportPath !== null) {
    const [modulePath, appName] = splitAppImportPath(appImportPath);
    const file = resolveModuleFile(modulePath, cwd);
    if (file === undefined) {
      throw new NoAppException(
        `Could not import ${pyQuote(modulePath)}: there is no file ${path.resolve(cwd, modulePath)}{${MODULE_EXTENSIONS.join(",")}} and no such folder with an index or app module.`,
      );
    }
    const module = await importModule(file, modulePath);
    const app = appName === null ? await findBestApp(module, modulePath, file) : await findAppByString(module, modulePath, file, appName);
    return { app, file };
  }
  for (const name of ["wsgi", "app"]) {
    const file = resolveModuleFile(name, cwd);
    if (file === undefined || path.dirname(file) !== path.resolve(cwd)) continue;
    const module = await importModule(file, name);
    return { app: await findBestApp(module, name, file), file };
  }
  throw new NoAppException(
    "Could not locate a Flask application. Use the 'flaskish --app' option, 'FLASK_APP' environment variable, or a 'wsgi.ts' or 'app.ts' file (or .mts, .js, .mjs) in the current directory.",
  );
}
