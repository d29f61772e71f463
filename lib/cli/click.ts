// Commands in click's manner, for the flaskish command and `app.cli.command(...)`: a command's
// parsing of its arguments and options (interspersed arguments, short clusters, environment
// defaults) with click's error lines and hints, groups of commands, their help pages, and echo.
// The parameters themselves are click-params.ts's; the help layout help-format.ts's. Knows
// nothing of apps: Flask's AppGroup (app-group.ts) runs commands in an app context.

import { Argument, Option, UsageError, argument, convert, option, type Param } from "./click-params.js";
import { closeMatches } from "../difflib.js";
import { cleandoc, HelpFormatter, shortHelp } from "./help-format.js";

/** click's hint after "No such option/command": "Did you mean '--count'?", or several. */
export function didYouMean(word: string, possibilities: Iterable<string>): string {
  const found = closeMatches(word, possibilities).sort();
  if (found.length === 0) return "";
  const listed = found.map((p) => `'${p}'`).join(", ");
  return found.length === 1 ? ` Did you mean ${listed}?` : ` (Did you mean one of: ${listed}?)`;
}

/**
 * Writes a line to stdout (or stderr with `err`), as `click.echo`.
 *
 * @example
 * click.echo("Initialized the database.");
 */
export function echo(message: unknown = "", { err = false, nl = true }: { err?: boolean; nl?: boolean } = {}): void {
  (err ? process.stderr : process.stdout).write(`${String(message)}${nl ? "\n" : ""}`);
}

export type CommandCallback = (args: Record<string, any>) => unknown;

/** Options of a command: its help text (click takes the docstring) and parameters. */
export interface CommandOptions {
  help?: string;
  /** What a command list shows (default: the help's first sentence, click's rule). */
  short_help?: string;
  params?: readonly Param[];
  /** Run without the app context (Flask's with_appcontext=False). */
  with_appcontext?: boolean;
}

/** Where a command runs: its full name for usage lines, and the environment for defaults. */
export interface Invocation {
  prog: string;
  env: NodeJS.ProcessEnv;
  /** Runs the callback: an AppGroup pushes the app context around it. */
  call: (command: Command, args: Record<string, unknown>) => unknown;
}

/** One command (click's Command). */
export class Command {
  readonly name: string;
  readonly help: string;
  readonly params: readonly Param[];
  readonly callback: CommandCallback;
  readonly with_appcontext: boolean;
  readonly #shortHelp: string | undefined;

  constructor(name: string, options: CommandOptions, callback: CommandCallback) {
    this.name = name;
    this.help = cleandoc(options.help ?? "");
    this.#shortHelp = options.short_help;
    this.params = options.params ?? [];
    this.callback = callback;
    this.with_appcontext = options.with_appcontext ?? true;
    const variadic = this.params.filter((p) => p instanceof Argument && p.nargs === -1);
    if (variadic.length > 1) throw new TypeError(`Command '${name}' has more than one argument with nargs -1; only one can take the remaining arguments.`);
  }

  usage(prog: string): string {
    const pieces = ["[OPTIONS]", ...this.params.filter((p): p is Argument => p instanceof Argument).map((a) => a.metavar)];
    return `Usage: ${prog} ${pieces.join(" ")}`;
  }

  /** click's help page for the command. */
  get_help(prog: string): string {
    const out = new HelpFormatter();
    out.write_usage(this.usage(prog));
    if (this.help) out.write_text(this.help);
    out.section("Options", this.option_rows());
    return out.text();
  }

  /** The rows of its help page's "Options:" list, `--help` last. */
  option_rows(): [string, string][] {
    const rows = this.params.filter((p): p is Option => p instanceof Option).map((o) => o.help_record());
    rows.push(["--help", "Show this message and exit."]);
    return rows;
  }

  /** A short help for a group's command list, click's make_default_short_help. */
  short_help(limit: number): string {
    return this.#shortHelp ?? shortHelp(this.help, limit);
  }

  /** Parses `argv` and runs the command; usage errors carry this command's usage line. */
  async invoke(argv: readonly string[], run: Invocation): Promise<number> {
    if (argv.includes("--help") && !argv.slice(0, argv.indexOf("--help")).includes("--")) {
      process.stdout.write(`${this.get_help(run.prog)}\n`);
      return 0;
    }
    let values: Record<string, unknown>;
    try {
      values = this.parse(argv, run.prog.split(" ").slice(1).join("_"), run.env);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(error.message, this.name, { usage: this.usage(run.prog), prog: run.prog, bare: error.bare });
      throw error;
    }
    await run.call(this, values);
    return 0;
  }

  /** The parameter values from `argv` (click's parser: interspersed arguments, "--", short clusters). */
  parse(argv: readonly string[], envName: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
    const { given, positional } = this.#scan(argv, false);
    const values = this.#optionValues(given, envName, env);
    const args = this.params.filter((p): p is Argument => p instanceof Argument);
    const fixed = args.filter((a) => a.nargs === 1).length;
    let next = 0;
    for (const a of args) {
      if (a.nargs === -1) {
        const take = Math.max(0, positional.length - next - (fixed - args.slice(0, args.indexOf(a)).filter((x) => x.nargs === 1).length));
        const items = positional.slice(next, next + take);
        next += take;
        if (items.length === 0 && a.required) throw new UsageError(`Missing argument ${a.error_hint}.`, "");
        values[a.name] = items.map((v) => convert(a, v));
        continue;
      }
      const value = positional[next];
      if (value === undefined) {
        if (a.required) throw new UsageError(`Missing argument ${a.error_hint}.`, "");
        values[a.name] = a.default;
        continue;
      }
      next++;
      values[a.name] = convert(a, value);
    }
    const extra = positional.slice(next);
    if (extra.length > 0) throw new UsageError(`Got unexpected extra argument${extra.length > 1 ? "s" : ""} (${extra.join(" ")})`, "");
    return values;
  }

  /**
   * A group's own options, up to its first positional argument (the subcommand), as click
   * parses `flaskish --app hello run --port 8000`; `rest` is the subcommand and what follows.
   * `--help` among them is given as `help: true`.
   */
  parse_leading(argv: readonly string[]): { values: Record<string, unknown>; rest: string[] } {
    const { given, positional, help } = this.#scan(argv, true);
    return { values: { ...this.#optionValues(given, "", {}), ...(help && { help: true }) }, rest: positional };
  }

  // Reads options (until the first positional when `stopAtPositional`, noting a `--help` among
  // them) and collects positionals.
  #scan(argv: readonly string[], stopAtPositional: boolean): { given: Map<Option, unknown[]>; positional: string[]; help: boolean } {
    let help = false;
    const spelled = new Map<string, { option: Option; on: boolean }>();
    for (const o of this.params) {
      if (!(o instanceof Option)) continue;
      for (const s of o.opts) spelled.set(s, { option: o, on: true });
      for (const s of o.secondary) spelled.set(s, { option: o, on: false });
    }
    const given = new Map<Option, unknown[]>();
    const give = (o: Option, value: unknown) => {
      const list = given.get(o) ?? [];
      list.push(value);
      given.set(o, list);
    };
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === "--") {
        positional.push(...argv.slice(i + 1));
        break;
      }
      if (stopAtPositional && arg === "--help") {
        help = true;
        continue;
      }
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        const spelling = eq === -1 ? arg : arg.slice(0, eq);
        const found = spelled.get(spelling);
        if (found === undefined) {
          const longs = [...spelled.keys(), "--help"].filter((o) => o.startsWith("--"));
          throw new UsageError(`No such option '${spelling}'.${didYouMean(spelling, longs)}`, "");
        }
        if (found.option.is_flag) {
          if (eq !== -1) throw new UsageError(`Option '${spelling}' does not take a value.`, "", { bare: true });
          give(found.option, found.on);
          continue;
        }
        const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`Option '${spelling}' requires an argument.`, "", { bare: true });
        give(found.option, convert(found.option, value));
        continue;
      }
      if (arg.startsWith("-") && arg.length > 1) {
        // A cluster of short flags ("-ab"), the last of which may take the rest as its value ("-tfoo").
        for (let at = 1; at < arg.length; at++) {
          const spelling = `-${arg[at]}`;
          const found = spelled.get(spelling);
          if (found === undefined) throw new UsageError(`No such option '${spelling}'.`, "");
          if (found.option.is_flag) {
            give(found.option, found.on);
            continue;
          }
          const value = at + 1 < arg.length ? arg.slice(at + 1) : argv[++i];
          if (value === undefined) throw new UsageError(`Option '${spelling}' requires an argument.`, "", { bare: true });
          give(found.option, convert(found.option, value));
          break;
        }
        continue;
      }
      if (stopAtPositional) {
        positional.push(...argv.slice(i));
        break;
      }
      positional.push(arg);
    }
    return { given, positional, help };
  }

  // Each option's value: given, else from the environment, else its default.
  #optionValues(given: Map<Option, unknown[]>, envName: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const o of this.params) {
      if (!(o instanceof Option)) continue;
      const list = given.get(o);
      if (list !== undefined) {
        values[o.name] = o.multiple ? list : list[list.length - 1];
        continue;
      }
      // click's auto_envvar_prefix under the flask command: FLASK_<COMMAND>_<OPTION> (FLASKISH_ first).
      const suffix = `${envName}_${o.name}`.toUpperCase().replace(/-/g, "_");
      const fromEnv = envName ? (env[`FLASKISH_${suffix}`] || env[`FLASK_${suffix}`]) : undefined;
      if (fromEnv !== undefined && fromEnv !== "") {
        values[o.name] = o.multiple ? fromEnv.split(/\s+/).map((v) => convert(o, v)) : convert(o, fromEnv);
        continue;
      }
      if (o.required) throw new UsageError(`Missing option ${o.error_hint}.`, "");
      values[o.name] = o.default;
    }
    return values;
  }
}

/**
 * Commands under one name (click's Group): `flaskish students create alice`.
 *
 * @example
 * const students = app.cli.group("students");
 * students.command("create", { params: [click.argument("name")] }, ({ name }) => { ... });
 */
export class Group {
  readonly name: string;
  help: string;
  readonly commands = new Map<string, Command | Group>();

  constructor(name: string, help = "") {
    this.name = name;
    this.help = cleandoc(help);
  }

  /**
   * Adds a command; its name defaults to the function's, underscores turned into dashes
   * (click's rule: `init_db` is `init-db`).
   *
   * @example
   * app.cli.command(function init_db() { click.echo("Initialized the database."); });
   * app.cli.command("create-user", { help: "Create a user.", params: [click.argument("name")] }, ({ name }) => { ... });
   */
  command(callback: CommandCallback): Command;
  command(name: string, callback: CommandCallback): Command;
  command(name: string, options: CommandOptions, callback: CommandCallback): Command;
  command(options: CommandOptions, callback: CommandCallback): Command;
  command(...args: [CommandCallback] | [string, CommandCallback] | [string, CommandOptions, CommandCallback] | [CommandOptions, CommandCallback]): Command {
    const callback = args[args.length - 1] as CommandCallback;
    if (typeof callback !== "function") throw new TypeError("command() needs the command's function as its last argument.");
    const name = typeof args[0] === "string" ? args[0] : callback.name.toLowerCase().replace(/_/g, "-");
    if (!name) throw new TypeError("command(): an anonymous function needs a name: command(\"name\", fn).");
    const options = (args.length === 3 ? args[1] : typeof args[0] === "object" ? args[0] : {}) as CommandOptions;
    const command = new Command(name, options, callback);
    this.add_command(command);
    return command;
  }

  /**
   * A group of commands under this one.
   *
   * @example
   * app.cli.group("db").command(function upgrade() { ... });   // flaskish db upgrade
   */
  group(name: string, help = ""): Group {
    const group = new Group(name, help);
    this.add_command(group);
    return group;
  }

  add_command(command: Command | Group, name = command.name): void {
    this.commands.set(name, command);
  }

  usage(prog: string): string {
    return `Usage: ${prog} [OPTIONS] COMMAND [ARGS]...`;
  }

  short_help(limit: number): string {
    return shortHelp(this.help, limit);
  }

  get_help(prog: string): string {
    const out = new HelpFormatter();
    out.write_usage(this.usage(prog));
    if (this.help) out.write_text(this.help);
    out.section("Options", [["--help", "Show this message and exit."]]);
    out.commands(this.commands);
    return out.text();
  }

  /** Runs a subcommand; with none, prints the help and answers 2 (click's no_args_is_help). */
  async invoke(argv: readonly string[], run: Invocation): Promise<number> {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help") {
      process.stdout.write(`${this.get_help(run.prog)}\n`);
      return first === undefined ? 2 : 0;
    }
    if (first.startsWith("-")) throw new UsageError(`No such option '${first}'.`, this.name, { usage: this.usage(run.prog), prog: run.prog });
    const command = this.commands.get(first);
    if (command === undefined) {
      throw new UsageError(`No such command '${first}'.${didYouMean(first, this.commands.keys())}`, this.name, { usage: this.usage(run.prog), prog: run.prog });
    }
    return command.invoke(rest, { ...run, prog: `${run.prog} ${first}` });
  }
}

/**
 * click's parameter makers and echo, as apps import them: Flask's `@click.argument`,
 * `@click.option` and `click.echo` translate as `click.argument(...)`, `click.option(...)`,
 * `click.echo(...)`.
 *
 * @example
 * import { click } from "flaskish";
 * app.cli.command("create-user", { params: [click.argument("name"), click.option("--admin", { is_flag: true })] }, ({ name, admin }) => {
 *   click.echo(`created ${name}${admin ? " (admin)" : ""}`);
 * });
 */
export const click = Object.freeze({ argument, option, echo });
