// The reloader: Werkzeug's run_with_reloader for Node. The first process watches the app's
// folders with fs.watch and runs the real server in a child (the same command line, with
// FLASKISH_RUN_MAIN=true); a change to a source file restarts the child. Owns the watching,
// the child's lifetime and the " * Restarting" lines; never loads or serves the app itself.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Set in the child's environment: it serves, the parent watches (Werkzeug's WERKZEUG_RUN_MAIN). */
export const RUN_MAIN_ENV = "FLASKISH_RUN_MAIN";

/** True in the process the reloader started (Werkzeug's is_running_from_reloader). */
export function is_running_from_reloader(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[RUN_MAIN_ENV] === "true";
}

/** Extensions whose change restarts the server; templates reload without a restart. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json)$|(?:^|[\\/])\.(?:env|flaskenv)$/;
const IGNORED_DIR = /(?:^|[\\/])(?:node_modules|\.git|dist|coverage)(?:[\\/]|$)/;

export interface ReloaderOptions {
  /** Folders watched recursively (node_modules, .git, dist ignored). */
  watch: string[];
  /** Files watched whatever their extension (Werkzeug's extra_files). */
  extra_files?: string[];
  /** Where the " * Restarting" lines go; default stderr. */
  log?: { write(chunk: string): unknown };
  /** The child's command line; default this process's own. */
  command?: string;
  args?: string[];
}

/** Whether a change to `file` (relative to a watched folder) should restart the server. */
export function shouldReload(file: string, extraFiles: ReadonlySet<string> = new Set()): boolean {
  if (extraFiles.has(path.resolve(file))) return true;
  return SOURCE_FILE.test(file) && !IGNORED_DIR.test(file);
}

/**
 * Runs this process's command line again as a child and restarts it whenever a watched source
 * file changes; exits with the child's code when it ends by itself with 0, and stops the child
 * cleanly on SIGINT/SIGTERM. Never resolves: the calling process only watches from now on.
 *
 * @example
 * if (!is_running_from_reloader()) await run_with_reloader({ watch: [app.root_path] });
 */
export function run_with_reloader({ watch, extra_files = [], log = process.stderr, command = process.execPath, args = [...process.execArgv, ...process.argv.slice(1)] }: ReloaderOptions): Promise<never> {
  const extra = new Set(extra_files.map((f) => path.resolve(f)));
  let child: ChildProcess | undefined;
  let restarting = false;
  let stopping = false;
  let pending: NodeJS.Timeout | undefined;
  let changed: string | undefined;

  const start = (): void => {
    log.write(" * Restarting with fs.watch\n");
    const proc = spawn(command, args, { stdio: "inherit", env: { ...process.env, [RUN_MAIN_ENV]: "true" } });
    child = proc;
    proc.on("exit", (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) process.exit(0);
      if (restarting) return;
      // The server stopped by itself: done if it succeeded, else wait for a fix (like a syntax error).
      if (code === 0) process.exit(0);
      log.write(` * The server exited (${signal ?? `code ${code}`}); waiting for a file change to restart\n`);
    });
  };

  const restart = async (): Promise<void> => {
    restarting = true;
    log.write(` * Detected change in '${changed}', reloading\n`);
    await stopChild();
    restarting = false;
    if (!stopping) start();
  };

  const stopChild = (): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const force = setTimeout(() => proc.kill("SIGKILL"), 5000);
      proc.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      proc.kill("SIGTERM");
    });

  const onChange = (dir: string) => (_event: string, name: string | Buffer | null) => {
    if (name === null) return;
    const file = path.join(dir, String(name));
    if (!shouldReload(file, extra) || stopping) return;
    changed = file;
    clearTimeout(pending);
    pending = setTimeout(() => void restart(), 100);
  };

  for (const dir of new Set(watch.map((d) => path.resolve(d)))) {
    try {
      fs.watch(dir, { recursive: true }, onChange(dir)).on("error", () => undefined);
    } catch (error) {
      log.write(` * Cannot watch ${dir} for changes: ${(error as Error).message}\n`);
    }
  }
  for (const file of extra) {
    try {
      fs.watch(file, onChange(path.dirname(file))).on("error", () => undefined);
    } catch {
      // A missing extra file is not an error, as in Werkzeug.
    }
  }

  const shutdown = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    if (child === undefined) process.exit(0);
    void stopChild();
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  start();
  return new Promise<never>(() => undefined);
}
