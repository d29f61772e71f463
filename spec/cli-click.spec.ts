// An app's own commands (app.cli, a blueprint's cli) with flaskish's click: the same app as
// spec/fixtures/gen/flask_cli_commands.py, whose every output (help pages, parsed values, usage
// errors, exit codes) is what the real `flask` command printed (spec/fixtures/flask-cli-commands.json),
// with "flask" read as "flaskish".
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Blueprint, click, current_app, Flask, g } from "../lib/index.js";
import { cleandoc, shortHelp } from "../lib/cli/help-format.js";
import { pyRepr } from "../lib/py-text.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/flask-cli-commands.json", import.meta.url), "utf8")) as {
  cases: { args: string[]; exit_code: number; output: string }[];
  group_commands: string;
};

const py = (value: unknown): string => (typeof value === "boolean" ? (value ? "True" : "False") : pyRepr(value));
const pyFloat = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

function makeApp(): Flask {
  const app = new Flask("cmdapp", { static_folder: null });
  app.cli.command(
    "create-user",
    {
      help: "Create a user.",
      params: [
        click.argument("name"),
        click.option("--admin", { is_flag: true, help: "Make the user an admin." }),
        click.option("--count", { type: "int", default: 1, show_default: true, help: "How many." }),
      ],
    },
    ({ name, admin, count }) => {
      click.echo(`created ${name} admin=${py(admin)} count=${count} app=${current_app.name}`);
    },
  );
  app.cli.command({ help: "Clear the existing data and create new tables." }, function init_db() {
    click.echo("Initialized the database.");
  });
  app.cli.command(
    "a-very-long-command-name-here",
    {
      help: "Do something with a rather long description that goes past the forty-five characters. And more.",
      params: [
        click.option("--with-a-long-option-name", "-w", { default: "x", help: "This help text is long enough that click has to wrap it onto a second line of the help page." }),
        click.argument("files", { nargs: -1 }),
      ],
    },
    ({ with_a_long_option_name, files }) => click.echo(`${with_a_long_option_name} ${pyRepr(files)}`),
  );
  app.cli.command(
    "flags",
    {
      help: "Show flags.",
      params: [
        click.option("--shout/--no-shout", { default: false, help: "Shout." }),
        click.option("--tag", "-t", { multiple: true, help: "Tags." }),
        click.option("--ratio", { type: "float", default: 0.5 }),
        click.option("--name", { required: true }),
        click.argument("where", { required: false, default: "here" }),
      ],
    },
    ({ shout, tag, ratio, name, where }) => click.echo(`${py(shout)} ${pyRepr(tag)} ${pyFloat(ratio)} ${name} ${where}`),
  );
  const students = new Blueprint("students", import.meta.url);
  students.cli.command("create", { help: "Create a student.", params: [click.argument("name")] }, ({ name }) => click.echo(`student ${name}`));
  app.register_blueprint(students);
  const top = new Blueprint("top", import.meta.url, { cli_group: null });
  top.cli.command("top-level", () => click.echo("top"));
  app.register_blueprint(top);
  return app;
}

describe("app.cli commands (output identical to the real flask command)", () => {
  for (const c of fixture.cases) {
    it(`flaskish ${c.args.join(" ")} -> exit ${c.exit_code} (expected from real Flask)`, async () => {
      const result = await makeApp().test_cli_runner().invoke(c.args);
      expect(result.exception).to.equal(null);
      expect(result.exit_code).to.equal(c.exit_code);
      expect(result.output).to.equal(c.output.replaceAll("flask ", "flaskish ").replaceAll("'flask ", "'flaskish "));
    });
  }

  it("lists the app's commands, its blueprints' groups and the built-ins in the group help (expected from real Flask)", async () => {
    const result = await makeApp().test_cli_runner().invoke(["--help"]);
    expect(result.output.slice(result.output.indexOf("Commands:"))).to.equal(fixture.group_commands);
  });
});

describe("app.cli commands: running them", () => {
  it("runs a command in an app context, kept across an async command's awaits", async () => {
    const app = new Flask("ctxapp", { static_folder: null });
    let seen = "";
    app.cli.command("slow", async () => {
      g.step = "before";
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = `${current_app.name} ${g.step as string}`;
    });
    const result = await app.test_cli_runner().invoke(["slow"]);
    expect([result.exit_code, seen]).to.deep.equal([0, "ctxapp before"]);
  });

  it("reports a failing command as exit 1 with the error, as click's runner does", async () => {
    const app = new Flask("failapp", { static_folder: null });
    app.cli.command("fail", () => {
      throw new Error("boom");
    });
    const result = await app.test_cli_runner().invoke(["fail"]);
    expect(result.exit_code).to.equal(1);
    expect(result.exception).to.be.instanceOf(Error).with.property("message", "boom");
  });

  it("reads option defaults from FLASK_<COMMAND>_<OPTION>, as the flask command's auto envvars", async () => {
    const app = new Flask("envapp", { static_folder: null });
    app.cli.command("greet", { params: [click.option("--times", { type: "int", default: 1 })] }, ({ times }) => click.echo(`x${times}`));
    expect((await app.test_cli_runner().invoke(["greet"], { env: { FLASK_GREET_TIMES: "3" } })).output).to.equal("x3\n");
    expect((await app.test_cli_runner().invoke(["greet", "--times", "2"], { env: { FLASK_GREET_TIMES: "3" } })).output).to.equal("x2\n");
  });

  it("takes an option's type from its default when none is given, as click does (INT for 1, FLOAT for 0.5)", async () => {
    const app = new Flask("typeapp", { static_folder: null });
    app.cli.command("add", { params: [click.option("--n", { default: 1 }), click.option("--f", { default: 0.5 }), click.option("--s", { default: "x" })] }, ({ n, f, s }) =>
      click.echo(`${n + 1} ${f * 2} ${s}1`),
    );
    expect((await app.test_cli_runner().invoke(["add", "--n", "5", "--f", "2", "--s", "y"])).output).to.equal("6 4 y1\n");
    const bad = await app.test_cli_runner().invoke(["add", "--n", "x"]);
    expect(bad.output).to.contain("Error: Invalid value for '--n': 'x' is not a valid integer.");
  });

  it("nests groups: app.cli.group(name) commands run as `flaskish <group> <command>`", async () => {
    const app = new Flask("groupapp", { static_folder: null });
    app.cli.group("db", "Database commands.").command(function upgrade() {
      click.echo("upgraded");
    });
    expect((await app.test_cli_runner().invoke(["db", "upgrade"])).output).to.equal("upgraded\n");
  });

  it("refuses a command with no name or two variadic arguments, saying what to do", () => {
    const app = new Flask("badapp", { static_folder: null });
    expect(() => app.cli.command(() => undefined)).to.throw(/an anonymous function needs a name: command\("name", fn\)/);
    expect(() => app.cli.command("two", { params: [click.argument("a", { nargs: -1 }), click.argument("b", { nargs: -1 })] }, () => undefined)).to.throw(/more than one argument with nargs -1/);
    expect(() => click.option("name")).to.throw(/give at least one "--name" or "-n" spelling/);
  });
});

describe("help layout (lib/cli/help-format.ts)", () => {
  it("shortens help as click's make_default_short_help", () => {
    expect(shortHelp("Clear the existing data and create new tables.", 43)).to.equal("Clear the existing data and create new...");
    expect(shortHelp("Create a user. Then more.", 45)).to.equal("Create a user.");
    expect(shortHelp("First paragraph\n\nSecond.", 45)).to.equal("First paragraph");
  });

  it("cleans docstring-style help as inspect.cleandoc", () => {
    expect(cleandoc("\n    Create a user.\n\n    With details.\n  ")).to.equal("Create a user.\n\nWith details.");
  });
});
