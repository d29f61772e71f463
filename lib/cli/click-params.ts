// The parameters of a click command: arguments and options (`click.argument("name")`,
// `click.option("--count", { type: "int", default: 1 })`), their types, help rows and
// conversion of command-line text, and click's UsageError that a wrong value raises.

/** A wrong command line: printed with the usage lines and exit code 2, as click does. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly command: string;
  /** The command's usage line and full name, when they are not the built-in `flaskish <command> [OPTIONS]`. */
  readonly usage: string | undefined;
  readonly prog: string | undefined;
  /** Printed as the error line alone, as click does for an option's bad use ("requires an argument"). */
  readonly bare: boolean;
  constructor(message: string, command: string, where: { usage?: string; prog?: string; bare?: boolean } = {}) {
    super(message);
    this.command = command;
    this.usage = where.usage;
    this.prog = where.prog;
    this.bare = where.bare ?? false;
  }
}

/** The value types of arguments and options (click's STRING, INT, FLOAT, BOOL). */
export type ParamType = "str" | "int" | "float" | "bool";

/** click guesses a parameter's type from its default: 1 is INT, 0.5 FLOAT, true BOOL. */
function typeOfDefault(value: unknown): ParamType {
  const sample = Array.isArray(value) ? value[0] : value;
  if (typeof sample === "boolean") return "bool";
  if (typeof sample === "number") return Number.isInteger(sample) ? "int" : "float";
  return "str";
}

const METAVAR: Record<ParamType, string> = { str: "TEXT", int: "INTEGER", float: "FLOAT", bool: "BOOLEAN" };
const TRUE_WORDS = new Set(["1", "true", "t", "yes", "y", "on"]);
const FALSE_WORDS = new Set(["0", "false", "f", "no", "n", "off", ""]);

/** Options of {@link argument}. */
export interface ArgumentOptions {
  type?: ParamType;
  /** Default true, false for nargs -1. */
  required?: boolean;
  /** 1, or -1 for every remaining argument (the value is then an array). */
  nargs?: 1 | -1;
  default?: unknown;
}

/** Options of {@link option}. */
export interface OptionOptions {
  type?: ParamType;
  is_flag?: boolean;
  default?: unknown;
  required?: boolean;
  /** Repeatable; the value is an array of what was given. */
  multiple?: boolean;
  help?: string;
  show_default?: boolean;
  metavar?: string;
}

/** A positional parameter of a command. */
export class Argument {
  readonly kind = "argument";
  readonly name: string;
  readonly type: ParamType;
  readonly required: boolean;
  readonly nargs: 1 | -1;
  readonly default: unknown;

  constructor(name: string, options: ArgumentOptions = {}) {
    this.name = name.replace(/-/g, "_");
    this.type = options.type ?? typeOfDefault(options.default);
    this.nargs = options.nargs ?? 1;
    this.required = options.required ?? this.nargs === 1;
    this.default = options.default ?? (this.nargs === -1 ? [] : null);
  }

  /** "NAME", "[NAME]", "FILES..." as usage lines and errors show it. */
  get metavar(): string {
    const name = this.name.toUpperCase();
    const plain = this.required ? name : `[${name}]`;
    return this.nargs === -1 ? `${plain}...` : plain;
  }

  get error_hint(): string {
    return `'${this.metavar}'`;
  }
}

/** An option of a command: `--count 3`, `-t a -t b`, `--shout/--no-shout`. */
export class Option {
  readonly kind = "option";
  readonly name: string;
  /** The spellings that set it ("-t", "--tag"), and for a --x/--no-x flag those that clear it. */
  readonly opts: string[] = [];
  readonly secondary: string[] = [];
  readonly type: ParamType;
  readonly is_flag: boolean;
  readonly required: boolean;
  readonly multiple: boolean;
  readonly default: unknown;
  readonly help: string | undefined;
  readonly show_default: boolean;
  readonly metavar: string;

  constructor(decls: readonly string[], options: OptionOptions = {}) {
    let name: string | undefined;
    for (const decl of decls) {
      if (!decl.startsWith("-")) {
        name = decl;
        continue;
      }
      const [on, off] = decl.split("/").map((s) => s.trim());
      this.opts.push(on!);
      if (off !== undefined) this.secondary.push(off);
    }
    if (this.opts.length === 0) throw new TypeError(`click.option(${decls.map((d) => JSON.stringify(d)).join(", ")}): give at least one "--name" or "-n" spelling.`);
    // click's name: the explicit one, else the first long spelling (a short one when there is none).
    const spelling = this.opts.find((o) => o.startsWith("--")) ?? this.opts[0]!;
    this.name = (name ?? spelling.replace(/^-+/, "")).replace(/-/g, "_").toLowerCase();
    this.is_flag = options.is_flag ?? this.secondary.length > 0;
    this.type = options.type ?? (this.is_flag ? "bool" : typeOfDefault(options.default));
    this.multiple = options.multiple ?? false;
    this.required = options.required ?? false;
    // An explicit `default: null` leaves a flag unset (neither --x nor --no-x given).
    this.default = "default" in options ? options.default : this.multiple ? [] : this.is_flag ? false : null;
    this.help = options.help;
    this.show_default = options.show_default ?? false;
    this.metavar = options.metavar ?? METAVAR[this.type];
  }

  get error_hint(): string {
    return this.opts.map((o) => `'${o}'`).join(" / ");
  }

  /** The two columns of its help row. */
  help_record(): [string, string] {
    const join = (names: string[]) => [...names].sort((a, b) => prefixLength(a) - prefixLength(b)).join(", ");
    let first = join(this.opts) + (this.is_flag ? "" : ` ${this.metavar}`);
    if (this.secondary.length > 0) first += ` / ${join(this.secondary)}`;
    const extra: string[] = [];
    if (this.show_default && this.default !== null && this.default !== undefined) extra.push(`default: ${showValue(this.default)}`);
    if (this.required) extra.push("required");
    const tail = extra.length > 0 ? `[${extra.join("; ")}]` : "";
    return [first, this.help && tail ? `${this.help}  ${tail}` : this.help ?? tail];
  }
}

const prefixLength = (opt: string): number => (opt.startsWith("--") ? 2 : 1);
const showValue = (value: unknown): string => (typeof value === "boolean" ? (value ? "True" : "False") : Array.isArray(value) ? value.join(", ") : String(value));

export type Param = Argument | Option;

/**
 * A positional parameter, as `@click.argument`.
 *
 * @example
 * app.cli.command("create-user", { params: [click.argument("name")] }, ({ name }) => { ... });
 */
export function argument(name: string, options: ArgumentOptions = {}): Argument {
  return new Argument(name, options);
}

/**
 * An option, as `@click.option`: spellings first, then its options.
 *
 * @example
 * click.option("--count", { type: "int", default: 1, help: "How many." });
 * click.option("-t", "--tag", { multiple: true });
 * click.option("--shout/--no-shout", { default: false });
 */
export function option(...decls: [...string[], OptionOptions] | string[]): Option {
  const last = decls[decls.length - 1];
  const options = typeof last === "object" ? (last as OptionOptions) : {};
  const names = (typeof last === "object" ? decls.slice(0, -1) : decls) as string[];
  return new Option(names, options);
}

/** A parameter's value from its command-line text, or click's "Invalid value" UsageError. */
export function convert(param: Param, value: string): unknown {
  const fail = (what: string, more = ""): never => {
    throw new UsageError(`Invalid value for ${param.error_hint}: '${value}' is not a valid ${what}.${more}`, "");
  };
  switch (param.type) {
    case "int": {
      const text = value.trim().replace(/_/g, "");
      if (!/^[+-]?\d+$/.test(text) || /^_|_$|__/.test(value.trim())) return fail("integer");
      return Number(text);
    }
    case "float": {
      const text = value.trim().toLowerCase();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text) && !/^[+-]?(inf|infinity|nan)$/.test(text)) return fail("float");
      return /inf/.test(text) ? (text.startsWith("-") ? -Infinity : Infinity) : /nan/.test(text) ? NaN : Number(text);
    }
    case "bool": {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return fail("boolean", ` Recognized values: ${[...TRUE_WORDS, ...FALSE_WORDS].sort().join(", ")}`);
    }
    default:
      return value;
  }
}
