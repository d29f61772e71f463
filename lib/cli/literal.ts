// Parses the call in `--app "module:create_app('dev', debug=True)"`: a name and literal
// arguments, as Flask's find_app_by_string does with ast.literal_eval. Owns this tiny grammar
// only (strings, numbers, booleans, null/None, lists, objects, keyword arguments); never evaluates code.

/** `name` and its arguments; keyword arguments (`key=value`) are passed as one trailing object. */
export interface FactoryCall {
  name: string;
  args: unknown[];
  /** False for a bare name (`module:app`), true for a call (`module:create_app()`). */
  call: boolean;
}

class LiteralError extends Error {}

const CONSTANTS: Record<string, unknown> = { true: true, false: false, null: null, True: true, False: false, None: null, undefined: undefined };

/**
 * Parses `app`, `create_app()` or `create_app("dev", debug=True)`; throws with Flask's wording
 * when the text is neither a name nor a call with literal arguments.
 *
 * @example
 * parseFactoryCall('create_app("dev", debug=True)'); // { name: "create_app", args: ["dev", { debug: true }], call: true }
 */
export function parseFactoryCall(text: string): FactoryCall {
  const source = text.trim();
  const head = /^([A-Za-z_$][\w$]*)\s*/.exec(source);
  if (head === null) throw new Error(`Failed to parse ${pyQuote(text)} as an attribute name or function call.`);
  const name = head[1]!;
  const rest = source.slice(head[0].length);
  if (rest === "") return { name, args: [], call: false };
  if (!rest.startsWith("(") || !rest.endsWith(")")) {
    if (/^[.[]/.test(rest)) throw new Error(`Function reference must be a simple name: ${pyQuote(text)}.`);
    throw new Error(`Failed to parse ${pyQuote(text)} as an attribute name or function call.`);
  }
  try {
    const parser = new Parser(rest.slice(1, -1));
    return { name, args: parser.argumentList(), call: true };
  } catch (error) {
    if (error instanceof LiteralError) throw new Error(`Failed to parse arguments as literal values: ${pyQuote(text)}.`);
    throw error;
  }
}

/** Python's repr of a string, which Flask's messages use. */
export function pyQuote(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

class Parser {
  #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  argumentList(): unknown[] {
    const args: unknown[] = [];
    const kwargs: Record<string, unknown> = {};
    let sawKeyword = false;
    this.#space();
    while (this.#pos < this.#text.length) {
      const keyword = /^([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(this.#text.slice(this.#pos));
      if (keyword !== null) {
        this.#pos += keyword[0].length;
        kwargs[keyword[1]!] = this.value();
        sawKeyword = true;
      } else {
        if (sawKeyword) throw new LiteralError("positional argument after keyword argument");
        args.push(this.value());
      }
      this.#space();
      if (!this.#eat(",")) break;
      this.#space();
    }
    if (this.#pos !== this.#text.length) throw new LiteralError("unexpected text");
    if (sawKeyword) args.push(kwargs);
    return args;
  }

  value(): unknown {
    this.#space();
    const ch = this.#text[this.#pos];
    if (ch === '"' || ch === "'") return this.#string(ch);
    if (ch === "[" || ch === "(") return this.#sequence(ch === "[" ? "]" : ")");
    if (ch === "{") return this.#object();
    const number = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.#text.slice(this.#pos));
    if (number !== null) {
      this.#pos += number[0].length;
      return Number(number[0].replace(/_/g, ""));
    }
    const word = /^[A-Za-z_]\w*/.exec(this.#text.slice(this.#pos));
    if (word !== null && Object.hasOwn(CONSTANTS, word[0])) {
      this.#pos += word[0].length;
      return CONSTANTS[word[0]];
    }
    throw new LiteralError("not a literal");
  }

  #string(quote: string): string {
    let out = "";
    for (this.#pos++; this.#pos < this.#text.length; this.#pos++) {
      const ch = this.#text[this.#pos]!;
      if (ch === quote) {
        this.#pos++;
        return out;
      }
      if (ch === "\\") {
        const next = this.#text[++this.#pos] ?? "";
        out += ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[next] ?? next;
      } else {
        out += ch;
      }
    }
    throw new LiteralError("unterminated string");
  }

  #sequence(close: string): unknown[] {
    this.#pos++;
    const items: unknown[] = [];
    this.#space();
    while (!this.#eat(close)) {
      items.push(this.value());
      this.#space();
      if (!this.#eat(",")) {
        this.#space();
        if (!this.#eat(close)) throw new LiteralError("expected , or close");
        return items;
      }
      this.#space();
    }
    return items;
  }

  #object(): Record<string, unknown> {
    this.#pos++;
    const out: Record<string, unknown> = {};
    this.#space();
    while (!this.#eat("}")) {
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number") throw new LiteralError("bad key");
      this.#space();
      if (!this.#eat(":")) throw new LiteralError("expected :");
      out[String(key)] = this.value();
      this.#space();
      if (!this.#eat(",")) {
        this.#space();
        if (!this.#eat("}")) throw new LiteralError("expected , or }");
        return out;
      }
      this.#space();
    }
    return out;
  }

  #eat(ch: string): boolean {
    if (this.#text[this.#pos] !== ch) return false;
    this.#pos++;
    return true;
  }

  #space(): void {
    while (/\s/.test(this.#text[this.#pos] ?? "")) this.#pos++;
  }
}
