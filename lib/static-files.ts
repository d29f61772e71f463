// Static files: send_from_directory and safe_join (Werkzeug's path safety), the view behind the
// app's and blueprints' `static` endpoints. Owns the rule that no path ever leaves the folder;
// the headers themselves come from send-file.ts.

import fs from "node:fs";
import path from "node:path";
import { requireAppContext } from "./context.js";
import { NotFound } from "./http-exceptions.js";
import type { Response } from "./response.js";
import { send_file, type SendFileOptions } from "./send-file.js";

/**
 * Joins untrusted path segments onto a folder, or returns null when a segment could escape it
 * (Werkzeug's `safe_join`): absolute paths, `..` after normalising, backslashes (a separator on
 * Windows, so refused everywhere), drive letters and NUL bytes.
 *
 * @example
 * safe_join("/srv/uploads", "a/b.txt");   // "/srv/uploads/a/b.txt"
 * safe_join("/srv/uploads", "../etc");    // null
 */
export function safe_join(directory: string, ...pathnames: string[]): string | null {
  const parts = [directory || "."];
  for (let name of pathnames) {
    if (name !== "") name = path.posix.normalize(name);
    if (name.includes("\\") || name.includes("\0") || /^[A-Za-z]:/.test(name) || name.startsWith("/") || name === ".." || name.startsWith("../")) {
      return null;
    }
    parts.push(name);
  }
  return path.posix.join(...parts);
}

/** True when `target`, with symlinks resolved, is still inside `root` (also resolved). */
function staysInside(root: string, target: string): boolean {
  try {
    const realRoot = fs.realpathSync(root);
    const realTarget = fs.realpathSync(target);
    return realTarget.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
  } catch {
    return false;
  }
}

/**
 * Sends a file from a folder, for names that come from the URL (Flask's `send_from_directory`).
 * A name that would leave the folder (`..`, absolute, backslashes, NUL, a symlink pointing out)
 * or that is not a regular file is a 404. The folder is relative to the app's root_path.
 *
 * @example
 * app.get("/uploads/<path:name>", ({ name }) => send_from_directory(app.config.UPLOAD_FOLDER, name, { as_attachment: true }));
 */
export function send_from_directory(directory: string, file: string, options: SendFileOptions = {}): Response {
  const root = path.resolve(requireAppContext().app.root_path, directory);
  const joined = safe_join(root, file);
  if (joined === null) throw new NotFound();
  let stat: fs.Stats;
  try {
    stat = fs.statSync(joined);
  } catch {
    throw new NotFound();
  }
  if (!stat.isFile() || !staysInside(root, joined)) throw new NotFound();
  return send_file(joined, options);
}
