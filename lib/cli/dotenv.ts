// `.env` and `.flaskenv` loading for the flaskish command (Flask's cli.load_dotenv), with Node's
// own util.parseEnv. Owns finding the files and merging them into an env object; never
// overrides a variable that is already set.

import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/** The nearest `name` in `cwd` or a parent folder (python-dotenv's find_dotenv with usecwd). */
export function findDotenv(name: string, cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Loads `.flaskenv` then `.env` (which wins over it), then `extraFile` (which wins over both),
 * into `env`, skipping variables already set there: the environment always wins, as in Flask.
 * Returns the files read.
 *
 * @example
 * load_dotenv(process.cwd());           // FLASK_APP=hello in .flaskenv now reads as process.env.FLASK_APP
 */
export function load_dotenv(cwd: string, { env = process.env, extraFile, defaults = true }: { env?: NodeJS.ProcessEnv; extraFile?: string; defaults?: boolean } = {}): string[] {
  const files: string[] = [];
  if (defaults) {
    for (const name of [".flaskenv", ".env"]) {
      const found = findDotenv(name, cwd);
      if (found !== undefined) files.push(found);
    }
  }
  if (extraFile !== undefined) files.push(path.resolve(cwd, extraFile));
  const data: Record<string, string> = {};
  for (const file of files) Object.assign(data, parseEnv(fs.readFileSync(file, "utf8")));
  for (const [key, value] of Object.entries(data)) {
    if (env[key] === undefined) env[key] = value;
  }
  return files;
}
