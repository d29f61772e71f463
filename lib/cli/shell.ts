// The `flaskish shell` command (Flask's shell_command): a Node REPL in an app context of the
// loaded app, with `app`, `g` and the names of the app's shell context processors defined.

import { AsyncLocalStorage } from "node:async_hooks";
import { once } from "node:events";
import type { REPLEval, REPLServer } from "node:repl";
import type { Readable, Writable } from "node:stream";
import type { Flask } from "../app.js";

/**
 * Runs the shell until its input ends or `.exit`; the app context stays pushed meanwhile (its
 * teardown runs once, at the end).
 *
 * @example
 * await shell(app, { input: process.stdin, output: process.stdout });
 */
export async function shell(app: Flask, io: { input: Readable; output: Writable }): Promise<number> {
  io.output.write(`Node ${process.version} on ${process.platform}\nApp: ${app.import_name}\nInstance: ${app.instance_path}\n`);
  const ctx = app.app_context();
  try {
    // Each line is evaluated in the app context (current_app and g work), and so are its awaits.
    const inContext = AsyncLocalStorage.snapshot();
    // node:repl is imported here, not at the top: loading it loads Node's `domain` module, which
    // patches EventEmitter for the whole process (every request of a server importing flaskish
    // paid for it in emit and init).
    const { default: repl } = await import("node:repl");
    const server = repl.start({ prompt: "> ", input: io.input, output: io.output, useGlobal: false });
    Object.assign(server.context, app.make_shell_context());
    const evaluate: REPLEval = server.eval;
    (server as { eval: REPLEval }).eval = function (this: REPLServer, ...args: Parameters<REPLEval>) {
      return inContext(() => evaluate.apply(this, args));
    };
    await once(server, "exit");
  } finally {
    ctx.pop();
  }
  return 0;
}
