// Flask's AppGroup: the `app.cli` (and `blueprint.cli`) group of custom commands, each run in an
// app context of the app the flaskish command loaded, as Flask's with_appcontext does.

import type { Flask } from "../app.js";
import { Command, Group } from "./click.js";

/**
 * Custom commands of an app or blueprint: `flaskish <name>` runs them with the app context
 * pushed (`current_app`, `g`), awaiting an async command before popping it.
 *
 * @example
 * app.cli.command("create-user", { help: "Create a user.", params: [click.argument("name")] }, ({ name }) => {
 *   click.echo(`created ${name}`);
 * });
 */
export class AppGroup extends Group {
  /** A group under this one whose commands also run in the app context. */
  override group(name: string, help = ""): AppGroup {
    const group = new AppGroup(name, help);
    this.add_command(group);
    return group;
  }
}

/** Runs a command's function, inside an app context of `app` unless it asked for none. */
export async function runInAppContext(app: Flask, command: Command, args: Record<string, unknown>): Promise<void> {
  if (!command.with_appcontext) {
    await command.callback(args);
    return;
  }
  const ctx = app.app_context();
  try {
    await command.callback(args);
  } finally {
    ctx.pop();
  }
}
