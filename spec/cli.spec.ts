// The flaskish command. Expected `flask routes` tables, `flask run` lines, the access log line
// shape and the port-in-use lines come from the real flask command (spec/fixtures/flask-cli.json,
// made by spec/fixtures/gen/flask_cli.py). `run` is exercised as a child process on 127.0.0.1.

import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect } from "chai";
import { Blueprint, Flask } from "../lib/index.js";
import { findDotenv, load_dotenv } from "../lib/cli/dotenv.js";
import { loadApp, NoAppException } from "../lib/cli/discovery.js";
import { main } from "../lib/cli/main.js";
import { parseFactoryCall } from "../lib/cli/literal.js";
import { freePort, httpGet, LIB, makeProject, runCli, waitFor, type CliProcess } from "./support/cli-project.js";

const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-cli.json", import.meta.url), "utf8")) as {
  routes: Record<string, string>;
  routes_plain: Record<string, string>;
  routes_empty: string;
  routes_static_only: string;
  run: { stdout: string[]; stderr: string[]; access_line: string };
  port_in_use: { stdout: string[]; stderr: string[]; exit_code: number };
};

const appModule = (body: string): string => `import { Flask } from "${LIB}";\n${body}\n`;

describe("loadApp (app discovery)", () => {
  let dir: string;
  before(() => {
    dir = makeProject({
      "hello.ts": appModule('export const app = new Flask("hello");'),
      "application.ts": appModule('export const application = new Flask("application_var");'),
      "single.ts": appModule('export const something = new Flask("single_instance");\nexport const other = 42;'),
      "multiple.ts": appModule('export const one = new Flask("one");\nexport const two = new Flask("two");'),
      "factory.ts": appModule('export function create_app() { return new Flask("from_factory"); }'),
      "maker.mts": appModule('export async function make_app() { return new Flask("from_make_app"); }'),
      "withargs.ts": appModule(
        'export function create_app(env, options = {}) { const app = new Flask("configured"); app.config.ENV_NAME = env; app.config.OPTIONS = options; return app; }',
      ),
      "plain.js": appModule('export const app = new Flask("plain_js");'),
      "esm.mjs": appModule('export default new Flask("default_export");'),
      "pkg/index.ts": appModule('export const app = new Flask("pkg_index");'),
      "site/app.ts": appModule('export const app = new Flask("site_app");'),
      "broken.ts": 'export const app = new (;\n',
      "noapp.ts": "export const x = 1;\n",
      "throws.ts": 'throw new Error("module failed at import");\n',
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const table: [string, string][] = [
    ["hello", "hello"],
    ["hello.ts", "hello"],
    ["hello:app", "hello"],
    ["application", "application_var"],
    ["single", "single_instance"],
    ["single:something", "single_instance"],
    ["factory", "from_factory"],
    ["factory:create_app()", "from_factory"],
    ["maker", "from_make_app"],
    ["plain", "plain_js"],
    ["plain.js", "plain_js"],
    ["esm", "default_export"],
    ["pkg", "pkg_index"],
    ["site", "site_app"],
  ];
  for (const [given, name] of table) {
    it(`--app ${given} finds the app named ${name}`, async () => {
      const { app } = await loadApp(given, dir);
      expect(app.name).to.equal(name);
    });
  }

  it("calls a factory with literal arguments, keyword arguments as a trailing object", async () => {
    const { app } = await loadApp(`withargs:create_app("dev", debug=True, tags=['a', "b"])`, dir);
    expect(app.config.ENV_NAME).to.equal("dev");
    expect(app.config.OPTIONS).to.deep.equal({ debug: true, tags: ["a", "b"] });
  });

  const errors: [string, RegExp][] = [
    ["multiple", /Detected multiple Flask applications in module 'multiple' \(.*multiple\.ts\)\. Use 'multiple:name'/],
    ["withargs", /Detected factory 'create_app' in module 'withargs' \(.*withargs\.ts\), but could not call it without arguments/],
    ["noapp", /Failed to find Flask application or factory in module 'noapp' \(.*noapp\.ts\)\. Use 'noapp:name' to specify one\./],
    ["hello:nope", /Failed to find attribute 'nope' in 'hello' \(.*hello\.ts\)/],
    ["hello:create(", /Failed to parse 'create\(' as an attribute name or function call\./],
    ["withargs:create_app(os.environ)", /Failed to parse arguments as literal values/],
    ["broken", /While importing 'broken' \(.*broken\.ts\), an error was raised/],
    ["throws", /While importing 'throws' \(.*throws\.ts\)[^]*module failed at import/],
    ["missing", /Could not import 'missing': there is no file .*missing\{\.ts,\.mts,\.js,\.mjs\}/],
  ];
  for (const [given, message] of errors) {
    it(`--app ${given} fails with one message naming the file`, async () => {
      const error = await loadApp(given, dir).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(NoAppException);
      expect((error as Error).message).to.match(message);
    });
  }

  it("without --app, tries wsgi then app modules in the current folder", async () => {
    const both = makeProject({ "wsgi.ts": appModule('export const app = new Flask("from_wsgi");'), "app.mjs": appModule('export const app = new Flask("from_app");') });
    const onlyApp = makeProject({ "app.mjs": appModule('export const app = new Flask("from_app_mjs");') });
    const none = makeProject({});
    try {
      expect((await loadApp(null, both)).app.name).to.equal("from_wsgi");
      expect((await loadApp(null, onlyApp)).app.name).to.equal("from_app_mjs");
      const error = await loadApp(null, none).then(() => null, (e: unknown) => e as Error);
      expect(error?.message).to.match(/^Could not locate a Flask application\. Use the 'flaskish --app' option, 'FLASK_APP' environment variable, or a 'wsgi\.ts' or 'app\.ts' file/);
    } finally {
      for (const d of [both, onlyApp, none]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("parseFactoryCall", () => {
  it("reads Python and JavaScript literals, never code", () => {
    expect(parseFactoryCall("app")).to.deep.equal({ name: "app", args: [], call: false });
    expect(parseFactoryCall("f(1, -2.5, None, null, False, true, {'a': [1, 2]})").args).to.deep.equal([1, -2.5, null, null, false, true, { a: [1, 2] }]);
    expect(() => parseFactoryCall("f(process.exit())")).to.throw(/Failed to parse arguments as literal values/);
    expect(() => parseFactoryCall("a.b")).to.throw(/Function reference must be a simple name/);
  });
});

describe("load_dotenv", () => {
  it("loads .flaskenv then .env (which wins), and never overrides the environment (as Flask)", () => {
    const dir = makeProject({ ".flaskenv": "FROM_FLASKENV=1\nSHARED=flaskenv\nPRESET=file\n", ".env": "SHARED=env\nFROM_ENV=yes\n", "sub/.keep": "" });
    try {
      const env: NodeJS.ProcessEnv = { PRESET: "environment" };
      const files = load_dotenv(path.join(dir, "sub"), { env });
      expect(files.map((f) => path.basename(f))).to.deep.equal([".flaskenv", ".env"]);
      expect(env).to.deep.equal({ PRESET: "environment", FROM_FLASKENV: "1", SHARED: "env", FROM_ENV: "yes" });
      expect(findDotenv(".env", path.join(dir, "sub"))).to.equal(path.join(dir, ".env"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets FLASK_APP and FLASK_RUN_* come from .flaskenv, and --env-file win over both files", async () => {
    const dir = makeProject({
      "hello.ts": appModule('export const app = new Flask("hello");\napp.route("/from-hello", function from_hello() { return ""; });'),
      "other.ts": appModule('export const app = new Flask("other");\napp.route("/from-other", function from_other() { return ""; });'),
      ".flaskenv": "FLASK_APP=hello\n",
      "custom.env": "FLASK_APP=other\n",
    });
    try {
      const out: string[] = [];
      const stdout = { write: (s: string) => out.push(s) };
      expect(await main(["routes"], { stdout, env: {}, cwd: dir })).to.equal(0);
      expect(out.join("")).to.contain("/from-hello");
      out.length = 0;
      expect(await main(["--env-file", "custom.env", "routes"], { stdout, env: {}, cwd: dir })).to.equal(0);
      expect(out.join("")).to.contain("/from-other");
      out.length = 0;
      expect(await main(["routes"], { stdout, env: { FLASKISH_APP: "other" }, cwd: dir })).to.equal(0);
      expect(out.join("")).to.contain("/from-other");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("main (errors)", () => {
  it("prints click's usage lines and the error, exit code 2, as flask does", async () => {
    const dir = makeProject({});
    try {
      const err: string[] = [];
      const code = await main(["--app", "nope", "routes"], { stderr: { write: (s: string) => err.push(s) }, env: {}, cwd: dir });
      expect(code).to.equal(2);
      expect(err.join("")).to.match(/^Usage: flaskish routes \[OPTIONS\]\nTry 'flaskish routes --help' for help\.\n\nError: Could not import 'nope'/);
      err.length = 0;
      expect(await main(["bogus"], { stderr: { write: (s: string) => err.push(s) }, env: {}, cwd: dir })).to.equal(2);
      // As `flask bogus` in a folder without an app: the app (which could have had the command)
      // could not be loaded, then the usage error.
      expect(err.join("")).to.equal(
        "Error: Could not locate a Flask application. Use the 'flaskish --app' option, 'FLASK_APP' environment variable, or a 'wsgi.ts' or 'app.ts' file (or .mts, .js, .mjs) in the current directory.\n\n" +
          "Usage: flaskish [OPTIONS] COMMAND [ARGS]...\nTry 'flaskish --help' for help.\n\nError: No such command 'bogus'.\n",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function routesApp(): Flask {
  const app = new Flask("routesapp", { static_folder: "static" });
  app.route("/", function index() { return ""; });
  app.route("/users/<int:user_id>", { methods: ["GET", "POST"] }, function user() { return ""; });
  app.route("/items", { methods: ["PUT", "DELETE", "PATCH"] }, function items() { return ""; });
  const bp = new Blueprint("admin", "routesapp", { url_prefix: "/admin", subdomain: "adm" });
  bp.route("/dash", function dash() { return ""; });
  app.register_blueprint(bp);
  return app;
}

function plainApp(): Flask {
  const app = new Flask("plainapp", { static_folder: "static" });
  app.route("/zeta", { methods: ["POST"] }, function zeta() { return ""; });
  app.route("/alpha", function alpha() { return ""; });
  return app;
}

describe("routes command (output identical to real `flask routes`)", () => {
  for (const [variant, expected] of Object.entries(fixture.routes)) {
    it(`flask routes ${variant || "(no options)"}, with a Subdomain column`, async () => {
      const result = await routesApp().test_cli_runner().invoke(["routes", ...variant.split(" ").filter(Boolean)]);
      expect(result.exit_code).to.equal(0);
      expect(result.output).to.equal(expected);
    });
  }
  for (const [variant, expected] of Object.entries(fixture.routes_plain)) {
    it(`flask routes ${variant || "(no options)"}, without a domain column`, async () => {
      const result = await plainApp().test_cli_runner().invoke(["routes", ...variant.split(" ").filter(Boolean)]);
      expect(result.output).to.equal(expected);
    });
  }
  it("says when no routes were registered, and lists the static route alone", async () => {
    expect((await new Flask("empty", { static_folder: null }).test_cli_runner().invoke("routes")).output).to.equal(fixture.routes_empty);
    expect((await new Flask("static_only", { static_folder: "static" }).test_cli_runner().invoke("routes")).output).to.equal(fixture.routes_static_only);
  });
  it("rejects an unknown --sort value with click's message", async () => {
    const result = await plainApp().test_cli_runner().invoke(["routes", "--sort", "size"]);
    expect(result.exit_code).to.equal(2);
    expect(result.output).to.contain("Error: Invalid value for '--sort' / '-s': 'size' is not one of 'endpoint', 'methods', 'domain', 'rule', 'match'.");
  });
});

describe("run command (child process)", function () {
  this.timeout(30000);
  const children: CliProcess[] = [];
  let dir: string;
  const start = (args: string[], env: Record<string, string> = {}): CliProcess => {
    const child = runCli(args, dir, env);
    children.push(child);
    return child;
  };
  const listening = (child: CliProcess) => waitFor(() => child.stderr().includes("Press CTRL+C to quit") || child.proc.exitCode !== null, 15000, "the server to start");

  before(() => {
    dir = makeProject({
      "hello.ts": appModule(`export const app = new Flask(import.meta.url);
app.route("/", function hello_world() { return "<p>Hello, World!</p>"; });
app.route("/boom", function boom() { throw new Error("kaboom <b>&</b>"); });
app.route("/slow", async function slow() { console.error("slow request started"); await new Promise((r) => setTimeout(r, 700)); return "slow done"; });`),
    });
  });
  after(() => {
    for (const child of children) child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints Flask's banner and Werkzeug's startup lines, and one access log line per request", async () => {
    const port = await freePort();
    const child = start(["--app", "hello", "run", "--port", String(port)]);
    await listening(child);
    const res = await httpGet(port, "/");
    expect(res.body).to.equal("<p>Hello, World!</p>");
    await waitFor(() => child.stderr().includes('"GET / HTTP/1.1"'), 5000, "the access log line");
    expect(child.stdout().split("\n").filter(Boolean)).to.deep.equal(fixture.run.stdout);
    const lines = child.stderr().split("\n").filter(Boolean);
    expect(lines.slice(0, 3)).to.deep.equal(fixture.run.stderr.map((l) => l.replace("{port}", String(port))));
    const access = lines.filter((l) => l.includes('"GET / HTTP/1.1"'));
    expect(access).to.have.lengthOf(1);
    expect(access[0]!.replace(/\[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\]/, "[{date}]")).to.equal(fixture.run.access_line);
  });

  it("takes --host and --port from FLASK_RUN_HOST and FLASK_RUN_PORT, the app from FLASK_APP", async () => {
    const port = await freePort();
    const child = start(["run"], { FLASK_APP: "hello", FLASK_RUN_HOST: "127.0.0.1", FLASK_RUN_PORT: String(port) });
    await listening(child);
    expect(child.stderr()).to.contain(` * Running on http://127.0.0.1:${port}\n`);
    expect((await httpGet(port, "/")).status).to.equal(200);
  });

  it("logs an unhandled error once with its stack and answers with Flask's 500 page; no debug page without --debug", async () => {
    const port = await freePort();
    const child = start(["--app", "hello", "run", "--port", String(port)]);
    await listening(child);
    const res = await httpGet(port, "/boom");
    expect(res.status).to.equal(500);
    expect(res.body).to.contain("<title>500 Internal Server Error</title>");
    expect(res.body).not.to.contain("kaboom");
    await waitFor(() => child.stderr().includes('"GET /boom HTTP/1.1" 500 -'), 5000, "the access line");
    expect(child.stderr().match(/ERROR in hello: Exception on \/boom \[GET\]/g)).to.have.lengthOf(1);
    expect(child.stderr()).to.match(/Error: kaboom <b>&<\/b>\n {4}at boom \(.*hello\.ts:4:\d+\)/);
  });

  it("on SIGTERM lets an in-flight request finish, then exits with 0", async () => {
    const port = await freePort();
    const child = start(["--app", "hello", "run", "--port", String(port)]);
    await listening(child);
    const pending = httpGet(port, "/slow");
    await waitFor(() => child.stderr().includes("slow request started"), 5000, "the slow request to start");
    child.proc.kill("SIGTERM");
    const res = await pending;
    expect(res.status).to.equal(200);
    expect(res.body).to.equal("slow done");
    expect(await child.exited).to.deep.equal({ code: 0, signal: null });
  });

  it("with the port in use, prints Flask's two lines (plus how to pick another port) and exits with 1", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const child = start(["--app", "hello", "run", "--port", String(port)]);
      const { code } = await child.exited;
      expect(code).to.equal(fixture.port_in_use.exit_code);
      expect(child.stdout().split("\n").filter(Boolean)).to.deep.equal(fixture.port_in_use.stdout);
      const [first, second] = fixture.port_in_use.stderr.map((l) => l.replace("{port}", String(port)));
      const lines = child.stderr().split("\n").filter(Boolean);
      expect(lines[0]).to.equal(first);
      expect(lines[1]).to.satisfy((l: string) => l.startsWith(second!.replace(/\.$/, "")) && l.includes(`--port ${port + 1}`));
      expect(lines).to.have.lengthOf(2);
    } finally {
      blocker.close();
    }
  });

  it("--debug: shows the debug page (escaped source lines, no scripts) and restarts when a source file changes", async function () {
    const project = makeProject({
      "app.ts": appModule(`export const app = new Flask(import.meta.url);
app.route("/", function index() { return "version one"; });
app.route("/boom", function boom() { const note = "<script>alert(1)</script>"; throw new Error("kaboom " + note); });`),
    });
    try {
      const port = await freePort();
      const child = runCli(["run", "--debug", "--port", String(port)], project);
      children.push(child);
      await listening(child);
      await waitFor(() => child.stderr().includes("Debugger is active!"), 15000, "the reloader's child to serve");
      expect(child.stdout()).to.equal(" * Debug mode: on\n");
      expect(child.stderr()).to.contain(" * Restarting with fs.watch\n");
      const page = await httpGet(port, "/boom");
      expect(page.status).to.equal(500);
      expect(page.headers["content-security-policy"]).to.equal("default-src 'none'; style-src 'unsafe-inline'");
      expect(page.body).to.contain("<title>Error: kaboom &lt;script&gt;alert(1)&lt;/script&gt; // flaskish debug page</title>");
      expect(page.body).to.contain(`"${path.join(project, "app.ts")}"</cite>, line <em class="line">4</em>, in <code class="function">boom</code>`);
      expect(page.body).to.contain("const note = &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;;");
      expect(page.body).not.to.match(/<script/i);
      expect(child.stderr().match(/Exception on \/boom \[GET\]/g)).to.have.lengthOf(1);

      expect((await httpGet(port, "/")).body).to.equal("version one");
      fs.writeFileSync(path.join(project, "app.ts"), appModule(`export const app = new Flask(import.meta.url);\napp.route("/", function index() { return "version two"; });`));
      await waitFor(async () => (await httpGet(port, "/").catch(() => ({ body: "" }))).body === "version two", 15000, "the restarted server");
      expect(child.stderr()).to.contain(` * Detected change in '${path.join(project, "app.ts")}', reloading\n`);
      expect(child.stderr().match(/ \* Restarting with fs\.watch/g)).to.have.lengthOf(2);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});

describe("FlaskCliRunner#invoke", () => {
  it("returns exit_code, output and exception, and applies FLASK_DEBUG as Flask's load_app does", async () => {
    const app = plainApp();
    app.debug = true;
    const ok = await app.test_cli_runner().invoke(["routes"]);
    expect(ok).to.include({ exit_code: 0, exception: null });
    expect(app.debug).to.equal(false);
    await app.test_cli_runner().invoke(["routes"], { env: { FLASK_DEBUG: "1" } });
    expect(app.debug).to.equal(true);
    // Flask's CLI applies FLASK_DEBUG only: it never calls from_prefixed_env() for the app.
    await app.test_cli_runner().invoke(["routes"], { env: { FLASK_SECRET_KEY: "from-env", FLASK_TESTING: "true" } });
    expect(app.secret_key).to.equal(null);
    expect(app.testing).to.equal(false);
    const bad = await app.test_cli_runner().invoke("routes --nope");
    expect(bad.exit_code).to.equal(2);
    expect(bad.output).to.contain("Error: No such option '--nope'."); // click 8.4, as installed with Flask 3.1 here
    const help = await app.test_cli_runner().invoke(["routes", "--help"]);
    expect(help.output).to.match(/^Usage: flaskish routes \[OPTIONS\]\n/);
  });
});

describe("shell command (child process)", function () {
  this.timeout(30000);

  it("runs a Node REPL in the app context: app, g and the shell context processors' names, teardown once at the end", async () => {
    const dir = makeProject({
      "app.ts": appModule(`export const app = new Flask("shellapp");
app.shell_context_processor(() => ({ answer: 42 }));
app.teardown_appcontext(() => console.log("teardown ran"));`),
    });
    try {
      const child = runCli(["shell"], dir, {}, 'app.name\nanswer + 1\ng.x = "kept"\ng.x\nawait Promise.resolve(g.x + "!")\n');
      const { code } = await child.exited;
      expect(code).to.equal(0);
      const out = child.stdout();
      expect(out).to.match(/^Node v\d+\.\d+\.\d+ on \w+\nApp: shellapp\nInstance: \/.*\/instance\n> /);
      expect(out).to.contain("'shellapp'");
      expect(out).to.contain("43");
      expect(out.match(/'kept'/g)?.length).to.equal(2);
      expect(out).to.contain("'kept!'");
      expect(out.match(/teardown ran/g)?.length).to.equal(1);
      expect(out.indexOf("teardown ran")).to.be.greaterThan(out.lastIndexOf("'kept!'"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves node:repl unloaded until the shell runs: importing flaskish must not load Node's domain module", async () => {
    // node:repl loads `domain`, which patches EventEmitter's init and emit for the whole process:
    // every request of a server that merely imported flaskish paid for it.
    const probe = `for (const entry of ["index", "nunjucks", "views", "cli/main"]) await import("${LIB.replace(/index\.ts$/, "")}" + entry + ".ts");
console.log(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (repl|domain)$/.test(m))));`;
    const { execFile } = await import("node:child_process");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], (error, out) => (error ? reject(error) : resolve(out))),
    );
    expect(JSON.parse(stdout)).to.deep.equal([]);
  });

  it("lists shell with Flask's short help", async () => {
    const result = await new Flask("listing", { static_folder: null }).test_cli_runner().invoke(["--help"]);
    expect(result.output).to.contain("  shell   Run a shell in the app context.\n");
  });
});
