// In-process runner for the flaskish command (Flask's FlaskCliRunner over click's CliRunner):
// runs the command line against the app, captures what it prints, and returns the exit code.
// Owns capturing only; the commands are main.ts's.

import type { Flask } from "../app.js";
import { main } from "./main.js";

/** What one invocation produced (click's Result). */
export interface CliResult {
  exit_code: number;
  /** stdout and stderr interleaved, as a terminal shows them. */
  output: string;
  stdout: string;
  stderr: string;
  /** The error the command threw, or null. */
  exception: unknown;
}

type Write = typeof process.stdout.write;

/**
 * Runs `flaskish` commands against `app` in this process (Flask's `app.test_cli_runner()`).
 * The app is used as is: no discovery and no .env loading. Writes to process.stdout/stderr
 * during the call (the app's logger included) are captured too.
 *
 * @example
 * const result = await app.test_cli_runner().invoke(["routes", "--sort", "rule"]);
 * expect(result.exit_code).to.equal(0);
 * expect(result.output).to.contain("/hello");
 */
export class FlaskCliRunner {
  readonly app: Flask;
  constructor(app: Flask) {
    this.app = app;
  }

  /**
   * Invokes the command line `args` (an array, or a string split on spaces).
   *
   * @example
   * const result = await runner.invoke("routes --sort endpoint", { env: { FLASK_DEBUG: "1" } });
   * expect(result.exit_code).to.equal(0);
   */
  async invoke(args: readonly string[] | string = [], { env = {} }: { env?: Record<string, string> } = {}): Promise<CliResult> {
    const argv = typeof args === "string" ? args.split(/\s+/).filter(Boolean) : args;
    let output = "";
    let stdout = "";
    let stderr = "";
    const out = { write: (chunk: string | Uint8Array) => ((stdout += String(chunk)), (output += String(chunk)), true) };
    const err = { write: (chunk: string | Uint8Array) => ((stderr += String(chunk)), (output += String(chunk)), true) };
    const saved = { out: process.stdout.write, err: process.stderr.write };
    process.stdout.write = out.write as Write;
    process.stderr.write = err.write as Write;
    try {
      const result = await main(argv, { stdout: out, stderr: err, env: { ...process.env, ...env } }, { app: this.app, own_process: false });
      return { exit_code: result === "serving" ? 0 : result, output, stdout, stderr, exception: null };
    } catch (exception) {
      return { exit_code: 1, output, stdout, stderr, exception };
    } finally {
      process.stdout.write = saved.out;
      process.stderr.write = saved.err;
    }
  }
}
