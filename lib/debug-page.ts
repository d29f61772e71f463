// The debug page: what `flaskish run --debug` (and app.run({ debug: true })) answers for an
// unhandled error, like Werkzeug's debugger minus everything that runs code. Owns parsing a JS
// stack into frames, reading the source lines around each frame, and the escaped HTML.
// It has no console, no PIN, no endpoint of its own and no script: a CSP header forbids any.

import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { escape } from "./markup.js";
import { Response } from "./response.js";

/** One line of a V8 stack: where it ran, and the source around it when the file is readable. */
export interface StackFrame {
  function_name: string;
  file: string;
  line: number;
  column: number;
  /** Code of the app, as opposed to node_modules or Node's own modules. */
  is_app: boolean;
  /** Up to `context` lines before and after, with their 1-based numbers. */
  source: { number: number; text: string; current: boolean }[];
}

const FRAME_RE = /^\s*at (?:(.+?) \((.+?):(\d+):(\d+)\)|(.+?):(\d+):(\d+))\s*$/;

function toPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

function readLines(file: string, cache: Map<string, string[] | null>): string[] | null {
  if (!cache.has(file)) {
    let lines: string[] | null = null;
    try {
      if (fs.statSync(file).size < 2_000_000) lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
      // Not a readable file (node:internal, eval, a deleted file): the frame shows without source.
    }
    cache.set(file, lines);
  }
  return cache.get(file) ?? null;
}

/**
 * Parses an Error's V8 stack into frames, newest call first (as V8 prints them), each with
 * `context` source lines around it when the file can be read.
 *
 * @example
 * parseStack(new Error("x")).at(0)?.file; // this module's path
 */
export function parseStack(error: unknown, context = 2): StackFrame[] {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const cache = new Map<string, string[] | null>();
  const frames: StackFrame[] = [];
  for (const text of stack.split("\n")) {
    const m = FRAME_RE.exec(text);
    if (m === null) continue;
    const function_name = (m[1] ?? "<anonymous>").replace(/^async /, "async ");
    const file = toPath(m[2] ?? m[5]!);
    const line = Number(m[3] ?? m[6]);
    const column = Number(m[4] ?? m[7]);
    const is_app = !file.includes("node_modules") && (file.startsWith("/") || /^[A-Za-z]:\\/.test(file));
    const lines = readLines(file, cache);
    const source = [];
    if (lines !== null) {
      for (let n = Math.max(1, line - context); n <= Math.min(lines.length, line + context); n++) {
        source.push({ number: n, text: lines[n - 1]!, current: n === line });
      }
    }
    frames.push({ function_name, file, line, column, is_app, source });
  }
  return frames;
}

function headline(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return `Thrown value: ${String(error)}`;
}

function renderFrames(frames: StackFrame[]): string {
  return frames
    .map((frame) => {
      const where = `File <cite class="filename">"${escape(frame.file)}"</cite>, line <em class="line">${frame.line}</em>, in <code class="function">${escape(frame.function_name)}</code>`;
      const source = frame.source
        .map((l) => `<tr class="${l.current ? "current" : ""}"><td class="lineno">${l.number}</td><td><pre>${escape(l.text) || " "}</pre></td></tr>`)
        .join("");
      return `<div class="frame${frame.is_app ? "" : " library"}"><h4>${where}</h4>${source ? `<table class="source">${source}</table>` : ""}</div>`;
    })
    .join("\n");
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#fff;color:#000}
.debugger{margin:1em 2em}h1{font-weight:normal;font-size:1.6em;margin:.4em 0}
.errormsg{font-family:monospace;background:#fee;border-left:4px solid #c00;padding:.6em;white-space:pre-wrap}
.frame{margin:.6em 0;border:1px solid #ddd}.frame h4{margin:0;padding:.3em .6em;background:#f4f4f4;font-weight:normal;font-size:.9em}
.frame.library{opacity:.6}.source{border-collapse:collapse;width:100%;font-size:.85em}
.source pre{margin:0}.source td{padding:0 .5em}.lineno{color:#999;text-align:right;width:3em}
.current{background:#ffc}.plain{width:100%;height:14em;font-family:monospace}.footer{color:#666;font-size:.8em}`;

/**
 * The debug page for `error` as HTML: the error line, each frame with its file, line, function
 * and source lines, the `cause` chain, and the plain traceback to copy. Everything is escaped.
 *
 * @example
 * const html = renderDebugPage(err, { request: "GET /boom" });
 */
export function renderDebugPage(error: unknown, { request = "" }: { request?: string } = {}): string {
  const sections: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const heading = depth === 0 ? "Traceback <em>(most recent call first)</em>" : "Caused by";
    sections.push(
      `<h2 class="traceback">${heading}</h2>\n<p class="errormsg">${escape(headline(current))}</p>\n${renderFrames(parseStack(current))}`,
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  const title = headline(error);
  const plain = error instanceof Error ? (error.stack ?? title) : title;
  return `<!doctype html>
<html lang=en>
<head>
<meta charset="utf-8">
<title>${escape(title)} // flaskish debug page</title>
<style>${STYLE}</style>
</head>
<body>
<div class="debugger">
<h1>${escape(error instanceof Error ? error.name : "Error")}</h1>
<div class="detail"><p class="errormsg">${escape(title)}</p></div>
${request ? `<p class="request">While handling <code>${escape(request)}</code></p>` : ""}
${sections.join("\n")}
<h2>Plain traceback</h2>
<textarea class="plain" readonly>${escape(plain)}</textarea>
<p class="footer">This page is shown because the app runs in debug mode. It runs no code and has no console. Never enable debug mode on a server others can reach.</p>
</div>
</body>
</html>
`;
}

/** The debug page as a 500 response; its Content-Security-Policy forbids scripts. */
export function debugPageResponse(error: unknown, request = ""): Response {
  const response = new Response(renderDebugPage(error, { request }), { status: 500 });
  response.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}
