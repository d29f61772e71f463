// click's help layout (its HelpFormatter at the default 78 columns): usage line, wrapped help
// text, definition lists for options and commands, and the short help a command list shows.
// Text only; what the rows say is click.ts's and args.ts's.

/** Python's inspect.cleandoc: common indentation and surrounding blank lines removed. */
export function cleandoc(text: string): string {
  const lines = text.replace(/\t/g, "        ").split("\n");
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  const out = [lines[0]!.trimStart(), ...lines.slice(1).map((l) => l.slice(cut).trimEnd())];
  while (out.length > 0 && !out[0]!.trim()) out.shift();
  while (out.length > 0 && !out[out.length - 1]!.trim()) out.pop();
  return out.join("\n");
}

/** click's make_default_short_help: the first sentence, or the words that fit in `limit` and "...". */
export function shortHelp(help: string, limit: number): string {
  const paragraph = help.split("\n\n", 1)[0]!;
  const words = paragraph.split(/\s+/).filter(Boolean);
  let total = 0;
  let i = 0;
  for (; i < words.length; i++) {
    total += words[i]!.length + (i > 0 ? 1 : 0);
    if (total > limit) break;
    if (words[i]!.endsWith(".")) return words.slice(0, i + 1).join(" ");
    if (total === limit && i !== words.length - 1) break;
  }
  if (i === words.length) return words.join(" ");
  total += 3;
  while (i > 0) {
    total -= words[i]!.length + (i > 0 ? 1 : 0);
    if (total <= limit) break;
    i--;
  }
  return `${words.slice(0, i).join(" ")}...`;
}

/**
 * Greedy word wrap as click's wrap_text: paragraphs kept, a paragraph's lines joined, spaces
 * between words kept as written ("How many.  [default: 1]") except where a line breaks.
 */
function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (out.length > 0) out.push("");
    const chunks = paragraph.split("\n").map((l) => l.trim()).join(" ").split(/( +)/).filter(Boolean);
    let line = "";
    for (let i = 0; i < chunks.length; i += 2) {
      const gap = i > 0 ? chunks[i - 1]! : "";
      const word = chunks[i]!;
      if (line && indent.length + line.length + gap.length + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line}${gap}${word}` : word;
    }
    if (line) out.push(indent + line);
  }
  return out;
}

/** click's HelpFormatter, at its default width (78 columns). */
export class HelpFormatter {
  readonly width = 78;
  readonly #lines: string[] = [];

  write_usage(usage: string): void {
    this.#lines.push(usage);
  }

  write_text(text: string): void {
    this.#lines.push("", ...wrap(text, this.width, "  "));
  }

  /** A definition list under a heading (click's section + write_dl). */
  section(heading: string, rows: readonly (readonly [string, string])[]): void {
    if (rows.length === 0) return;
    this.#lines.push("", `${heading}:`);
    const first = Math.min(Math.max(...rows.map(([name]) => name.length)), 30) + 2;
    const textWidth = Math.max(this.width - first - 2, 10);
    for (const [name, help] of rows) {
      if (!help) {
        this.#lines.push(`  ${name}`);
        continue;
      }
      const lines = wrap(help, textWidth, "");
      if (name.length <= first - 2) this.#lines.push(`  ${name.padEnd(first)}${lines[0]}`);
      else this.#lines.push(`  ${name}`, `${" ".repeat(first + 2)}${lines[0]}`);
      for (const line of lines.slice(1)) this.#lines.push(line ? `${" ".repeat(first + 2)}${line}` : "");
    }
  }

  /** A group's "Commands:" list, names sorted, each with its short help. */
  commands(commands: ReadonlyMap<string, { short_help(limit: number): string }>): void {
    const names = [...commands.keys()].sort();
    if (names.length === 0) return;
    const limit = this.width - 6 - Math.max(...names.map((n) => n.length));
    this.section("Commands", names.map((n) => [n, commands.get(n)!.short_help(limit)] as const));
  }

  text(): string {
    return this.#lines.join("\n");
  }
}
