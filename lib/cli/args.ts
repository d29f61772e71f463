// Command-line parsing for the flaskish command, in click's manner: `--name value`,
// `--name=value`, short `-x value`, `--flag/--no-flag` pairs, and FLASK_<COMMAND>_<OPTION>
// environment defaults (click's auto_envvar_prefix, also read with the FLASKISH_ prefix).
// Owns the built-in commands' parsing; the usage-error shape and help layout are click.ts's.

import { didYouMean, UsageError } from "./click.js";
import { HelpFormatter } from "./help-format.js";

/** One option of a command. */
export interface OptionSpec {
  /** The long name without dashes, e.g. "host". */
  name: string;
  short?: string;
  /** "flag" takes no value and has a `--no-` form; "value" takes one. */
  kind: "flag" | "value";
  metavar?: string;
  help: string;
  /** false: a plain flag with no `--no-` form. */
  negatable?: false;
  /** Extra environment variable names read before the automatic FLASK_<CMD>_<NAME>. */
  envvar?: string[];
}

export type ParsedOptions = Record<string, string | boolean | undefined>;


/**
 * Parses options up to the first positional argument (the subcommand for the group); returns
 * the options given and the remaining arguments. `--help` is reported as `help: true`.
 *
 * @example
 * parseOptions(["--port=8000", "--no-reload"], RUN_OPTIONS, "flaskish run"); // { options: { port: "8000", reload: false }, rest: [] }
 */
export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], command: string, { stopAtPositional = false } = {}): { options: ParsedOptions; rest: string[] } {
  const options: ParsedOptions = {};
  const rest: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help") {
      options.help = true;
      continue;
    }
    if (arg === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const key = arg.slice(2, eq === -1 ? undefined : eq);
      const negatable = byLong.get(key.slice(3));
      const negated = key.startsWith("no-") && negatable?.kind === "flag" && negatable.negatable !== false;
      const spec = byLong.get(negated ? key.slice(3) : key);
      if (spec === undefined) {
        const longs = [...specs.flatMap((s) => (s.kind === "flag" && s.negatable !== false ? [`--${s.name}`, `--no-${s.name}`] : [`--${s.name}`])), "--help"];
        throw new UsageError(`No such option '--${key}'.${didYouMean(`--${key}`, longs)}`, command);
      }
      if (spec.kind === "flag") {
        if (eq !== -1) throw new UsageError(`Option '--${key}' does not take a value.`, command, { bare: true });
        options[spec.name] = !negated;
      } else if (eq !== -1) {
        options[spec.name] = arg.slice(eq + 1);
      } else {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`Option '--${key}' requires an argument.`, command, { bare: true });
        options[spec.name] = value;
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const spec = byShort.get(arg.slice(1, 2));
      if (spec === undefined) throw new UsageError(`No such option '${arg.slice(0, 2)}'.`, command);
      if (spec.kind === "flag") {
        options[spec.name] = true;
      } else {
        const value = arg.length > 2 ? arg.slice(2).replace(/^=/, "") : argv[++i];
        if (value === undefined) throw new UsageError(`Option '${arg}' requires an argument.`, command, { bare: true });
        options[spec.name] = value;
      }
      continue;
    }
    if (stopAtPositional) {
      rest.push(...argv.slice(i));
      break;
    }
    rest.push(arg);
  }
  return { options, rest };
}

/** What click makes of a boolean environment value. */
export function envFlag(value: string): boolean {
  return !["", "0", "false", "f", "no", "n", "off"].includes(value.trim().toLowerCase());
}

/**
 * Fills options not given on the command line from the environment: each spec's `envvar`
 * names, then FLASKISH_<COMMAND>_<NAME> and FLASK_<COMMAND>_<NAME> (click's auto envvars).
 */
export function applyEnvDefaults(options: ParsedOptions, specs: readonly OptionSpec[], commandName: string, env: NodeJS.ProcessEnv): void {
  for (const spec of specs) {
    if (options[spec.name] !== undefined) continue;
    const suffix = `${commandName ? `${commandName}_` : ""}${spec.name}`.toUpperCase().replace(/-/g, "_");
    const names = [...(spec.envvar ?? []), `FLASKISH_${suffix}`, `FLASK_${suffix}`];
    const found = names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
    if (found !== undefined) options[spec.name] = spec.kind === "flag" ? envFlag(found) : found;
  }
}

/** click's help layout for a list of options: the rows under "Options:", help wrapped at 78 columns. */
export function formatOptions(specs: readonly OptionSpec[]): string[] {
  const rows = specs.map((s) => {
    const names = s.kind === "flag" ? `--${s.name}${s.negatable === false ? "" : ` / --no-${s.name}`}` : `${s.short ? `-${s.short}, ` : ""}--${s.name} ${s.metavar ?? "TEXT"}`;
    return [s.short && s.kind === "flag" ? `-${s.short}, ${names}` : names, s.help] as const;
  });
  rows.push(["--help", "Show this message and exit."]);
  const out = new HelpFormatter();
  out.section("Options", rows);
  return out.text().split("\n").slice(2);
}
