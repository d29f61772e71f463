// The flaskish command (Flask's FlaskGroup): global options (--app, --env-file, --debug),
// .env/.flaskenv loading, the `run` and `routes` commands, and the app's own (app.cli). Owns
// the command table, help and error output; app discovery is discovery.ts, serving is
// serving.ts, custom commands' parsing click.ts.

import fs from "node:fs";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Flask } from "../app.js";
import { run_simple } from "../serving.js";
import { runInAppContext } from "./app-group.js";
import { option, UsageError } from "./click-params.js";
import { Command, didYouMean, type Group } from "./click.js";
import { HelpFormatter, shortHelp } from "./help-format.js";
import { loadApp, locateAppFile, NoAppException } from "./discovery.js";
import { load_dotenv } from "./dotenv.js";
import { ROUTE_SORTS, routeLines, type RouteSort } from "./routes.js";
import { shell } from "./shell.js";

type Stream = { write(chunk: string): unknown; isTTY?: boolean };

/** Where the command reads and writes; every field defaults to the real process's. */
export interface CliIO {
  /** What `shell` reads. */
  stdin?: Readable;
  stdout?: Stream;
  stderr?: Stream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface MainOptions {
  /** Use this app instead of discovering one (FlaskCliRunner does); no dotenv loading then. */
  app?: Flask;
  /** `run` owns the process: signal handlers, exit on a port in use (default true). */
  own_process?: boolean;
}

/** What main() ended with: an exit code, or "serving" while `run` keeps the process alive. */
export type MainResult = number | "serving";

const PROG = "flaskish";

const noop = (): undefined => undefined;

// The flaskish command's own options, before the command name (parsed as click parses a group's).
const GLOBAL = new Command(PROG, {
  params: [
    option("--env-file", "-e", { metavar: "FILE", help: "Load environment variables from this file, taking precedence over those set by '.env' and '.flaskenv'." }),
    option("--app", "-A", { metavar: "IMPORT", help: "The Flask application or factory function to load, in the form 'module:name'. Module is a file path (.ts, .mts, .js, .mjs) or folder; name can be 'name(args)'." }),
    option("--debug/--no-debug", { default: null, help: "Set debug mode." }),
    option("--version", { is_flag: true, help: "Show the flaskish version." }),
  ],
}, noop);

// The built-in commands: their options and help (main() runs them, with the loaded app).
const COMMANDS: Record<string, Command> = {
  routes: new Command("routes", {
    help: "Show the routes for the app.",
    params: [
      option("--sort", "-s", { metavar: `[${ROUTE_SORTS.join("|")}]`, help: "Method to sort routes by. 'match' is the order that Flask will match routes when dispatching a request." }),
      option("--all-methods", { is_flag: true, help: "Show HEAD and OPTIONS methods." }),
    ],
  }, noop),
  run: new Command("run", {
    help: "Run a development server.",
    params: [
      option("--debug/--no-debug", { default: null, help: "Set debug mode." }),
      option("--host", "-h", { help: "The interface to bind to." }),
      option("--port", "-p", { type: "int", help: "The port to bind to." }),
      option("--reload/--no-reload", { default: null, help: "Enable or disable the reloader. By default the reloader is active if debug is enabled." }),
      option("--debugger/--no-debugger", { default: null, help: "Enable or disable the debug page. By default it is active if debug is enabled." }),
      option("--extra-files", { metavar: "PATH", help: `Extra files that trigger a reload on change. Multiple paths are separated by '${path.delimiter}'.` }),
    ],
  }, noop),
  shell: new Command("shell", {
    short_help: "Run a shell in the app context.",
    help:
      "Run an interactive Node shell in the context of a given Flask application.  The application will populate the default namespace of this shell according to its configuration.\n\n" +
      "This is useful for executing small snippets of management code without having to manually configure the application.",
  }, noop),
};

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Flask's get_debug_flag: FLASK_DEBUG (or FLASKISH_DEBUG) set to anything but 0/false/no. */
export function get_debug_flag(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.FLASKISH_DEBUG ?? env.FLASK_DEBUG;
  return Boolean(value && !["0", "false", "no"].includes(value.toLowerCase()));
}

// The built-in commands and the app's own (the app's are listed only when it could be loaded).
function groupHelp(custom: Group | undefined): string {
  const commands = new Map<string, { short_help(limit: number): string }>(custom?.commands);
  for (const [name, command] of Object.entries(COMMANDS)) commands.set(name, command);
  const text = new HelpFormatter();
  text.write_usage(`Usage: ${PROG} [OPTIONS] COMMAND [ARGS]...`);
  text.write_text(
    "A general utility script for Flask applications.\n\n" +
      "An application to load must be given with the '--app' option, 'FLASK_APP' environment variable, or with a 'wsgi.ts' or 'app.ts' file in the current directory.",
  );
  text.section("Options", GLOBAL.option_rows());
  text.commands(commands);
  return `${text.text()}\n`;
}

/**
 * Runs the flaskish command line in this process: `["--app", "hello", "routes"]`. Returns the
 * exit code, or "serving" when `run` started a server that keeps the process alive.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2)) === "serving" ? undefined : 0;
 */
export async function main(argv: readonly string[], io: CliIO = {}, options: MainOptions = {}): Promise<MainResult> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  let command = "";
  try {
    const { values: global, rest } = GLOBAL.parse_leading(argv);
    if (global.version) {
      stdout.write(`Node ${process.version}\nflaskish ${version()}\n`);
      return 0;
    }
    // click's auto envvar for the group's option, as the flask command reads FLASK_ENV_FILE.
    const envFile = (global.env_file as string | null) ?? (env.FLASKISH_ENV_FILE || env.FLASK_ENV_FILE || null);
    if (envFile !== null && !fs.statSync(path.resolve(cwd, envFile), { throwIfNoEntry: false })?.isFile()) {
      throw new UsageError(`Invalid value for '-e' / '--env-file': File '${envFile}' does not exist.`, "");
    }
    if (options.app === undefined) load_dotenv(cwd, { env, ...(envFile !== null ? { extraFile: envFile } : {}) });
    const [name, ...commandArgs] = rest;
    const appImportPath = (global.app as string | null) ?? env.FLASKISH_APP ?? env.FLASK_APP ?? null;
    // The app's own commands need the app: as Flask does, a failure to load it is reported and
    // the built-in commands still work.
    const loadForCommands = async (): Promise<Flask | undefined> => {
      if (options.app !== undefined) return options.app;
      try {
        return (await loadApp(appImportPath, cwd)).app;
      } catch (error) {
        if (!(error instanceof NoAppException)) throw error;
        stderr.write(`Error: ${error.message}\n\n`);
        return undefined;
      }
    };
    if (name === undefined || global.help) {
      stdout.write(groupHelp((await loadForCommands())?.cli));
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, name)) {
      if (global.debug !== null) env.FLASK_DEBUG = global.debug ? "1" : "0";
      const app = await loadForCommands();
      const custom = app?.cli.commands.get(name);
      // As the flask command, only its own commands are offered as "Did you mean".
      if (app === undefined || custom === undefined) throw new UsageError(`No such command '${name}'.${didYouMean(name, Object.keys(COMMANDS))}`, "");
      app.debug = get_debug_flag(env);
      return await custom.invoke(commandArgs, { prog: `${PROG} ${name}`, env, call: (cmd, args) => runInAppContext(app, cmd, args) });
    }
    command = name;
    const builtin = COMMANDS[name]!;
    const helpAt = commandArgs.indexOf("--help");
    if (helpAt !== -1 && !commandArgs.slice(0, helpAt).includes("--")) {
      stdout.write(`${builtin.get_help(`${PROG} ${name}`)}\n`);
      return 0;
    }
    const parsed = builtin.parse(commandArgs, name, env);
    // --debug (before or after the command) is passed on through the environment, as Flask does,
    // so a factory can read it early.
    const debug = parsed.debug ?? global.debug;
    if (debug !== undefined && debug !== null) env.FLASK_DEBUG = debug ? "1" : "0";
    const loaded = options.app !== undefined ? { app: options.app, file: undefined } : await loadApp(appImportPath, cwd);
    loaded.app.debug = get_debug_flag(env);
    if (name === "routes") return routesCommand(loaded.app, parsed, stdout);
    if (name === "shell") return await shell(loaded.app, { input: io.stdin ?? process.stdin, output: (io.stdout ?? process.stdout) as Writable });
    return await runCommand(loaded.app, parsed, { appImportPath, file: loaded.file ?? locateAppFile(appImportPath, cwd), cwd, stdout, stderr, own_process: options.own_process ?? true });
  } catch (error) {
    if (error instanceof UsageError || error instanceof NoAppException) {
      const prog = (error instanceof UsageError ? error.prog : undefined) ?? (command ? `${PROG} ${command}` : PROG);
      const usage = (error instanceof UsageError ? error.usage : undefined) ?? (command ? `Usage: ${prog} [OPTIONS]` : `Usage: ${PROG} [OPTIONS] COMMAND [ARGS]...`);
      if (error instanceof UsageError && error.bare) stderr.write(`Error: ${error.message}\n`);
      else stderr.write(`${usage}\nTry '${prog} --help' for help.\n\nError: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function routesCommand(app: Flask, options: Record<string, unknown>, stdout: Stream): number {
  const sort = (options.sort ?? "endpoint") as string;
  if (!(ROUTE_SORTS as readonly string[]).includes(sort)) {
    throw new UsageError(`Invalid value for '--sort' / '-s': '${sort}' is not one of ${ROUTE_SORTS.map((s) => `'${s}'`).join(", ")}.`, "routes");
  }
  stdout.write(`${routeLines(app, { sort: sort as RouteSort, all_methods: options.all_methods === true }).join("\n")}\n`);
  return 0;
}

async function runCommand(
  app: Flask,
  options: Record<string, unknown>,
  ctx: { appImportPath: string | null; file: string | undefined; cwd: string; stdout: Stream; stderr: Stream; own_process: boolean },
): Promise<MainResult> {
  const port = Number(options.port ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Invalid value for '--port' / '-p': '${options.port}' is not a valid integer.`, "run");
  }
  const debug = app.debug;
  const extra = options.extra_files === null ? [] : String(options.extra_files).split(path.delimiter).filter(Boolean);
  await run_simple(app, {
    host: (options.host as string | null) ?? "127.0.0.1",
    port,
    use_reloader: typeof options.reload === "boolean" ? options.reload : debug,
    use_debugger: typeof options.debugger === "boolean" ? options.debugger : debug,
    app_import_path: ctx.appImportPath,
    extra_files: extra,
    watch: [ctx.file === undefined ? ctx.cwd : path.dirname(ctx.file)],
    own_process: ctx.own_process,
    stdout: ctx.stdout,
    log: ctx.stderr,
  });
  return "serving";
}

