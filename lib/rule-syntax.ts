// The syntax of rule strings (Werkzeug's _part_re and parse_converter_args): splitting a rule
// into slashes, static text and <converter(args):name> variables, and reading converter
// arguments written as Python literals. No converters are instantiated here; see rule.ts.

import { pyFloat, pyInt } from "./converters.js";

export type Token =
  | { kind: "slash" }
  | { kind: "static"; text: string }
  | { kind: "variable"; converter: string | null; args: string | null; name: string };

const PART_RE = /(\/)|([^</]+)|<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\(([^\n]*?)\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>/y;
const VARIABLE_HELP = "Variables are written <name>, <converter:name> or <converter(arguments):name>.";

/** Splits a rule string into tokens; throws a SyntaxError that says how to write a variable. */
export function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < rule.length) {
    PART_RE.lastIndex = pos;
    const m = PART_RE.exec(rule);
    if (m === null) {
      const closed = rule.indexOf(">", pos) !== -1;
      const what = closed
        ? `the variable starting at position ${pos} ('${rule.slice(pos, rule.indexOf(">", pos) + 1)}') is not valid`
        : `the '<' at position ${pos} is never closed with '>'`;
      throw new SyntaxError(`Malformed URL rule '${rule}': ${what}. ${VARIABLE_HELP}`);
    }
    if (m[1] !== undefined) tokens.push({ kind: "slash" });
    else if (m[2] !== undefined) tokens.push({ kind: "static", text: m[2] });
    else tokens.push({ kind: "variable", converter: m[3] ?? null, args: m[4] ?? null, name: m[5] as string });
    pos = PART_RE.lastIndex;
  }
  return tokens;
}

// Werkzeug's converter-argument grammar, with \w and \d widened to Unicode as Python's are.
const ARG_RE =
  /\s*(?:([\p{L}\p{N}_]+)\s*=\s*)?(True|False|\p{Nd}+[^\n]\p{Nd}+|\p{Nd}+[^\n]|\p{Nd}+|[\p{L}\p{N}_.]+|[urUR]?("[^"]*?"|'[^']*'))\s*,/gu;
const CONSTANTS: Record<string, null | boolean> = { None: null, True: true, False: false };

function pythonize(value: string): unknown {
  if (value in CONSTANTS) return CONSTANTS[value];
  for (const convert of [pyInt, pyFloat]) {
    try {
      return convert(value);
    } catch {
      // not this kind of literal
    }
  }
  if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) return value.slice(1, -1);
  return value;
}

/**
 * Parses converter arguments written as Python literals: `4, signed=True, "a,b"`.
 * Returns the positional values and the keyword values.
 *
 * @example
 * parseConverterArgs('fixed_digits=4, signed=True') // [[], { fixed_digits: 4, signed: true }]
 */
export function parseConverterArgs(argstr: string): [unknown[], Record<string, unknown>] {
  const text = `${argstr},`;
  const args: unknown[] = [];
  const kwargs: Record<string, unknown> = {};
  let position = 0;
  for (const m of text.matchAll(ARG_RE)) {
    if (m.index !== position) {
      throw new SyntaxError(
        `Cannot parse converter argument '${text.slice(position, m.index)}' in '(${argstr})'. Arguments are Python literals separated by commas: numbers, True/False/None, quoted strings or bare words, optionally as name=value.`,
      );
    }
    const value = pythonize(m[3] ?? (m[2] as string));
    if (m[1] === undefined) args.push(value);
    else kwargs[m[1]] = value;
    position = m.index + m[0].length;
  }
  return [args, kwargs];
}
