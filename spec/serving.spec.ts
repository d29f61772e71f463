// The development server in-process (run_simple / app.run) on 127.0.0.1 with a free port.
// Startup lines and the access log shape come from real `flask run` (spec/fixtures/flask-cli.json,
// spec/fixtures/gen/flask_cli.py).

import fs from "node:fs";
import type http from "node:http";
import net from "node:net";
import { expect } from "chai";
import { Flask } from "../lib/index.js";
import { accessLogLine, closeGracefully, PortInUseError, run_simple, startupLines } from "../lib/serving.js";
import { parseStack, renderDebugPage } from "../lib/debug-page.js";
import { httpGet, waitFor } from "./support/cli-project.js";

const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-cli.json", import.meta.url), "utf8")) as {
  run: { stdout: string[]; stderr: string[]; access_line: string; access_date_example: string };
};

function capture(): { write(s: string): boolean; text(): string } {
  let text = "";
  return { write: (s: string) => ((text += s), true), text: () => text };
}

function makeApp(): { app: Flask; logged: string[] } {
  const app = new Flask("served", { static_folder: null });
  const logged: string[] = [];
  app.logger.handlers = [(line) => logged.push(line)];
  app.route("/", function index() { return "home"; });
  app.route("/boom", function boom() { throw new TypeError("bad <thing>"); });
  app.route("/slow", async function slow() { await new Promise((r) => setTimeout(r, 300)); return "slow done"; });
  return { app, logged };
}

describe("run_simple", () => {
  const servers: http.Server[] = [];
  const serve = async (app: Flask, options: Parameters<typeof run_simple>[1] = {}) => {
    const stdout = capture();
    const log = capture();
    const server = await run_simple(app, { port: 0, own_process: false, use_reloader: false, stdout, log, ...options });
    servers.push(server);
    return { server, port: (server.address() as net.AddressInfo).port, stdout, log };
  };
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it("prints Flask's banner lines and Werkzeug's startup lines (as real `flask run`)", async () => {
    const { app } = makeApp();
    const { port, stdout, log } = await serve(app, { app_import_path: "hello" });
    expect(stdout.text().split("\n").filter(Boolean)).to.deep.equal(fixture.run.stdout);
    expect(log.text().split("\n").filter(Boolean)).to.deep.equal(fixture.run.stderr.map((l) => l.replace("{port}", String(port))));
  });

  it("app.run() names the app by app.name in the banner and serves it", async () => {
    const { app } = makeApp();
    const stdout = capture();
    const server = await app.run({ port: 0, own_process: false, stdout, log: capture() });
    servers.push(server);
    expect(stdout.text()).to.equal(" * Serving Flask app 'served'\n * Debug mode: off\n");
    expect((await httpGet((server.address() as net.AddressInfo).port, "/")).body).to.equal("home");
  });

  it("writes one access log line per request, Werkzeug's format, 404s included", async () => {
    const { app } = makeApp();
    const { port, log } = await serve(app);
    await httpGet(port, "/");
    await httpGet(port, "/missing?x=1");
    await waitFor(() => log.text().includes("/missing"), 5000, "the log line");
    const lines = log.text().split("\n").filter((l) => l.includes("HTTP/1.1"));
    expect(lines.map((l) => l.replace(/\[[^\]]+\]/, "[{date}]"))).to.deep.equal([
      fixture.run.access_line,
      '127.0.0.1 - - [{date}] "GET /missing?x=1 HTTP/1.1" 404 -',
    ]);
  });

  it("logs an unhandled error exactly once (Flask's 'Exception on /boom [GET]') and answers with the 500 page", async () => {
    const { app, logged } = makeApp();
    const { port } = await serve(app);
    const res = await httpGet(port, "/boom");
    expect(res.status).to.equal(500);
    expect(res.body).to.contain("<h1>Internal Server Error</h1>");
    expect(res.body).not.to.contain("bad");
    expect(logged).to.have.lengthOf(1);
    expect(logged[0]).to.match(/ERROR in served: Exception on \/boom \[GET\]\nTypeError: bad <thing>\n {4}at boom /);
  });

  it("logs once too when a 500 handler answers (the app logs, the server does not)", async () => {
    const { app, logged } = makeApp();
    app.errorhandler(500, () => ["custom 500", 500]);
    const { port } = await serve(app);
    const res = await httpGet(port, "/boom");
    expect(res.body).to.equal("custom 500");
    expect(logged.filter((l) => l.includes("Exception on /boom [GET]"))).to.have.lengthOf(1);
  });

  it("shows the debug page only with the debugger on", async () => {
    const { app, logged } = makeApp();
    const { port, log } = await serve(app, { debug: true, use_reloader: false });
    expect(log.text()).to.contain(" * Debugger is active!");
    const res = await httpGet(port, "/boom");
    expect(res.status).to.equal(500);
    expect(res.body).to.contain("<title>TypeError: bad &lt;thing&gt; // flaskish debug page</title>");
    expect(res.body).to.contain("While handling <code>GET /boom</code>");
    expect(logged).to.have.lengthOf(1);

    const off = makeApp();
    const quiet = await serve(off.app, { debug: true, use_debugger: false });
    expect(quiet.log.text()).not.to.contain("Debugger is active");
    expect((await httpGet(quiet.port, "/boom")).body).not.to.contain("bad &lt;thing&gt;");
  });

  it("rejects with PortInUseError naming the port and how to pick another", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await run_simple(makeApp().app, { port, own_process: false, stdout: capture(), log: capture() }).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(PortInUseError);
      expect((error as Error).message).to.contain(`Port ${port} is in use by another program.`).and.contain("--port");
    } finally {
      blocker.close();
    }
  });
});

describe("closeGracefully", () => {
  it("lets an in-flight request finish, then resolves with the server closed", async () => {
    const { app } = makeApp();
    const server = await run_simple(app, { port: 0, own_process: false, stdout: capture(), log: capture() });
    const port = (server.address() as net.AddressInfo).port;
    const pending = httpGet(port, "/slow");
    await new Promise((r) => setTimeout(r, 100));
    await closeGracefully(server);
    const res = await pending;
    expect(res.body).to.equal("slow done");
    expect(res.headers.connection).to.equal("close");
    expect(server.listening).to.equal(false);
  });
});

describe("accessLogLine", () => {
  it("formats the date and line as Werkzeug does", () => {
    const line = accessLogLine("127.0.0.1", new Date(2026, 10, 25, 1, 2, 3), "GET / HTTP/1.1", 200);
    expect(line).to.equal(fixture.run.access_line.replace("{date}", "25/Nov/2026 01:02:03"));
    expect(accessLogLine("::1", new Date(2026, 0, 5, 10, 0, 0), "GET /a\x1bb HTTP/1.1", 404)).to.equal('::1 - - [05/Jan/2026 10:00:00] "GET /a\\x1bb HTTP/1.1" 404 -');
  });
});

describe("startupLines", () => {
  it("lists every address for 0.0.0.0 as Werkzeug does", () => {
    const lines = startupLines("0.0.0.0", 5000);
    expect(lines[1]).to.equal(" * Running on all addresses (0.0.0.0)");
    expect(lines[2]).to.equal(" * Running on http://127.0.0.1:5000");
    expect(lines[3]).to.match(/^ \* Running on http:\/\/[\d.]+:5000$/);
  });
});

describe("renderDebugPage", () => {
  it("escapes the message, function names and source lines, and has no script", () => {
    function thrower(): never {
      throw new Error('<img src=x onerror="alert(1)">');
    }
    let error: unknown;
    try {
      thrower();
    } catch (e) {
      error = e;
    }
    const html = renderDebugPage(error, { request: "GET /<x>" });
    expect(html).to.contain("Error: &lt;img src=x onerror=&#34;alert(1)&#34;&gt;");
    expect(html).to.contain("While handling <code>GET /&lt;x&gt;</code>");
    expect(html).to.contain("throw new Error(&#39;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&#39;);");
    expect(html).not.to.contain("<img");
    expect(html).not.to.match(/<script/i);
  });

  it("parseStack reads each frame's file, line and source, and the cause chain is shown", () => {
    const cause = new RangeError("root cause");
    const error = new Error("outer", { cause });
    const frames = parseStack(error);
    expect(frames[0]!.file).to.match(/serving\.spec\.ts$/);
    expect(frames[0]!.is_app).to.equal(true);
    expect(frames[0]!.source.find((l) => l.current)?.text).to.contain('new Error("outer", { cause })');
    expect(renderDebugPage(error)).to.contain("Caused by").and.contain("RangeError: root cause");
  });
});
