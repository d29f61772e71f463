// The default template engine: ejs behind Express's engine signature, with Flask's escaping.
// Owns how `<%= %>` escapes (markupsafe's five characters; a Markup or any `__html__` object is
// not escaped again; nothing is escaped where Flask's autoescape is off) and ejs's caching.

import ejs from "ejs";
import { escape } from "./markup.js";
import type { EngineSettings, TemplateEngine } from "./templating.js";

// ejs binds its escape function when it compiles (and caches compiled includes by file name),
// so one function serves every template and reads the current template's autoescape decision.
// ejs renders synchronously, so no other render can interleave between set and restore.
let autoescapeNow = true;

function flaskEscape(value: unknown): string {
  if (value === undefined || value === null) return "";
  return autoescapeNow ? escape(value).toString() : String(value);
}
// ejs inlines its escape function's source for client-side compiles; ours is not meant for that.
Object.defineProperty(flaskEscape, "toString", { value: () => "function flaskEscape(v) { throw new Error('client ejs templates are not supported'); }" });

function split(options: Record<string, any>): [Record<string, unknown>, Partial<EngineSettings>, boolean] {
  const { settings = {}, cache = false, ...data } = options;
  return [data, settings as Partial<EngineSettings>, Boolean(cache)];
}

function withAutoescape<T>(autoescape: boolean, fn: () => T): T {
  const previous = autoescapeNow;
  autoescapeNow = autoescape;
  try {
    return fn();
  } finally {
    autoescapeNow = previous;
  }
}

/**
 * ejs as an Express engine: `<%= %>` escapes like Flask (and not Markup), `<%- %>` never
 * escapes, `include()` searches the template folders. Compiled templates are cached unless
 * templates auto-reload (debug mode, TEMPLATES_AUTO_RELOAD).
 */
export const ejsEngine: TemplateEngine = Object.assign(
  (filePath: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void): void => {
    const [data, settings, cache] = split(options);
    // renderFile calls back synchronously; the callback runs after autoescape is restored.
    let outcome: [Error | null, string | undefined] = [null, undefined];
    withAutoescape(settings.autoescape ?? true, () =>
      ejs.renderFile(filePath, data, { escape: flaskEscape, views: settings.views ?? [], cache, async: false }, (err: Error | null, html?: string) => {
        outcome = [err, html];
      }));
    callback(...outcome);
  },
  {
    render_string(source: string, options: Record<string, any>, callback: (err: Error | null, html?: string) => void): void {
      const [data, settings] = split(options);
      let html: string;
      try {
        html = withAutoescape(settings.autoescape ?? true, () =>
          ejs.render(source, data, { escape: flaskEscape, views: settings.views ?? [], async: false }) as string);
      } catch (error) {
        return callback(error as Error);
      }
      callback(null, html);
    },
  },
);
