// The development server in-process (run_simple / app.run) on 127.0.0.1 with a free port.
// Startup lines and the access log shape come from real `flask run` (spec/fixtures/flask-cli.json,
// spec/fixtures/gen/flask_cli.py); raw exchanges (request heads at Python's limits, CONNECT)
// from Werkzeug's server over a socket (spec/fixtures/flask-dev-server.json,
// spec/fixtures/gen/flask_dev_server.py).

import fs from "node:fs";
import type http from "node:http";
import net from "node:net";
import { expect } from "chai";
import { Flask, request } from "../lib/index.js";
import { accessLogLine, closeGracefully, PortInUseError, run_simple, startupLines } from "../lib/serving.js";
import { MAX_HEAD_SIZE } from "../lib/request-head-limits.js";
import { parseStack, renderDebugPage } from "../lib/debug-page.js";
import { httpGet, waitFor } from "./support/cli-project.js";

const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-cli.json", import.meta.url), "utf8")) as {
  run: { stdout: string[]; stderr: string[]; access_line: string; access_date_example: string };
};

type Part = string | [string, number];
interface Exchange {
  request: Part[];
  status_line: string;
  headers: [string, string][];
  body: string;
  log: string[];
}
const devServer = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-dev-server.json", import.meta.url), "utf8")) as { cases: Record<string, Exchange> };
const flask = (name: string): Exchange => devServer.cases[name]!;
const expand = (parts: Part[]): Buffer => Buffer.from(parts.map((p) => (typeof p === "string" ? p : p[0].repeat(p[1]))).join(""), "latin1");

interface Answer {
  status_line: string;
  headers: [string, string][];
  body: string;
}

/**
 * Sends `data` on a new socket; `answer` resolves with the first response (by Content-Length, or
 * at the close when there is none or it is a HEAD's), `closed` once the server ended the
 * connection, with `reset` when it came as an error rather than a clean end.
 */
function exchange(port: number, data: Buffer, { head = false } = {}): { answer: Promise<Answer>; closed: Promise<{ reset: boolean }> } {
  const socket = net.connect(port, "127.0.0.1", () => socket.write(data));
  let buffer = Buffer.alloc(0);
  let reset = false;
  const closed = new Promise<{ reset: boolean }>((resolve) => socket.on("close", () => resolve({ reset })));
  const answer = new Promise<Answer>((resolve, reject) => {
    const parse = (atClose: boolean): void => {
      const end = buffer.indexOf("\r\n\r\n");
      if (end === -1) {
        if (atClose) reject(new Error(`closed without an answer (${buffer.length} bytes)`));
        return;
      }
      const [statusLine, ...lines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
      const headers = lines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as [string, string]);
      const length = headers.find(([n]) => n.toLowerCase() === "content-length")?.[1];
      const body = buffer.subarray(end + 4);
      if (!atClose && (head || length === undefined || body.length < Number(length))) return;
      // A HEAD's answer is read to the close, so a body sent after it shows.
      resolve({ status_line: statusLine!, headers, body: body.subarray(0, head ? body.length : Number(length ?? body.length)).toString("utf8") });
    };
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      parse(false);
    });
    socket.on("close", () => parse(true));
  });
  socket.on("error", () => (reset = true));
  return { answer, closed };
}

/** Werkzeug's log lines of a case, runs of one character expanded and the remote filled in. */
const flaskLog = (name: string): string[] =>
  flask(name).log.map((line) => line.replace("{remote}", "127.0.0.1").replace(/\{(.)\*(\d+)\}/g, (_, c: string, n: string) => c.repeat(Number(n))));
/** The access log lines written so far, dates as {date} (as in the fixture). */
const logged = (log: { text(): string }): string[] =>
  log.text().split("\n").filter((l) => l.includes(" - - [")).map((l) => l.replace(/\[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\]/, "[{date}]"));

/** Flask's headers as flaskish should send them: no Server header, Date's value left out. */
const withoutServer = (headers: [string, string][]): [string, string][] =>
  headers.filter(([n]) => n !== "Server").map(([n, v]) => [n, n === "Date" ? "{date}" : v]);

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

describe("run_simple: request heads at Python http.server's limits (as Werkzeug's server, fixture)", () => {
  const servers: http.Server[] = [];
  const serve = async () => {
    const { app } = makeApp();
    const log = capture();
    const server = await run_simple(app, { port: 0, own_process: false, use_reloader: false, stdout: capture(), log });
    servers.push(server);
    const logLines = () => logged(log);
    return { port: (server.address() as net.AddressInfo).port, logLines };
  };
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  for (const name of ["line_20000", "line_65536", "header_65536", "headers_99"]) {
    it(`${name}: served as Flask serves it (200 'home'), where Node's default 16 KB head limit answered 431`, async () => {
      const { port, logLines } = await serve();
      const { answer } = exchange(port, expand(flask(name).request));
      const res = await answer;
      expect(res.status_line).to.equal(flask(name).status_line);
      expect(res.body).to.equal(flask(name).body);
      await waitFor(() => logLines().length === 1, 5000, "the access line");
      // Compared as booleans: chai would print both 65 KB lines on a mismatch.
      expect(logLines()[0] === flaskLog(name)[0], "the access line").to.equal(true);
    });
  }

  for (const name of ["line_65537", "line_100000", "header_65537", "head_header_65537", "headers_100"]) {
    it(`${name}: Werkzeug's refusal, status line, headers, page and log lines, then the connection ends cleanly`, async () => {
      const { port, logLines } = await serve();
      const { answer, closed } = exchange(port, expand(flask(name).request), { head: name.startsWith("head_") });
      const res = await answer;
      expect(res.status_line).to.equal(flask(name).status_line);
      expect(withoutServer(res.headers)).to.deep.equal(withoutServer(flask(name).headers));
      expect(res.body).to.equal(flask(name).body);
      expect(await closed).to.deep.equal({ reset: false });
      await waitFor(() => logLines().length === 2, 5000, "two log lines");
      expect(logLines()).to.deep.equal(flaskLog(name));
    });
  }

  it("keeps answering after refusing a head, on the same server", async () => {
    const { port } = await serve();
    for (const name of ["line_65537", "header_65537", "headers_100"]) {
      await exchange(port, expand(flask(name).request)).closed;
      expect((await httpGet(port, "/")).body).to.equal("home");
    }
  });

  it("a head past what Python reads in all (Node's parser stops): a URL gets the 414 page, the connection ends, the server keeps answering", async () => {
    const { port, logLines } = await serve();
    const { answer, closed } = exchange(port, Buffer.from(`GET /${"a".repeat(MAX_HEAD_SIZE + 100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, "latin1"));
    const res = await answer;
    expect(res.status_line).to.equal(flask("line_100000").status_line);
    expect(withoutServer(res.headers)).to.deep.equal(withoutServer(flask("line_100000").headers));
    expect(res.body).to.equal(flask("line_100000").body);
    await closed;
    await waitFor(() => logLines().length === 2, 5000, "two log lines");
    expect(logLines()).to.deep.equal(flaskLog("line_100000"));
    expect((await httpGet(port, "/")).body).to.equal("home");
  });

  it("a head past what Python reads in all, made of many lines: the 431 'Too many headers' page", async () => {
    const { port } = await serve();
    const lines = "X-Filler: " + "v".repeat(60) + "\r\n";
    const { answer, closed } = exchange(port, Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n${lines.repeat(Math.ceil(MAX_HEAD_SIZE / 60) + 10)}\r\n`, "latin1"));
    const res = await answer;
    expect(res.status_line).to.equal(flask("headers_100").status_line);
    expect(res.body).to.equal(flask("headers_100").body);
    await closed;
    expect((await httpGet(port, "/")).body).to.equal("home");
  });

  it("other heads Node's parser refuses still get Node's bare 400, and the server keeps answering", async () => {
    const { port } = await serve();
    const { answer, closed } = exchange(port, Buffer.from("GET / HTTP/1.1\r\nBad Header\r\n\r\n", "latin1"));
    const res = await answer;
    expect(res.status_line).to.equal("HTTP/1.1 400 Bad Request");
    expect(res.headers).to.deep.equal([["Connection", "close"]]);
    await closed;
    expect((await httpGet(port, "/")).body).to.equal("home");
  });
});

describe("run_simple: CONNECT requests (routed like any method, as Werkzeug's server does; fixture)", () => {
  const servers: http.Server[] = [];
  const serve = async (setup: (app: Flask) => void = () => undefined) => {
    const { app } = makeApp();
    setup(app);
    const log = capture();
    const server = await run_simple(app, { port: 0, own_process: false, use_reloader: false, stdout: capture(), log });
    servers.push(server);
    const logLines = () => logged(log);
    return { server, port: (server.address() as net.AddressInfo).port, logLines };
  };
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  for (const name of ["connect_authority", "connect_http10", "connect_root"]) {
    it(`${name}: Flask's status line, body, Content-Type and Allow, Connection: close, then a clean end`, async () => {
      const { port, logLines } = await serve();
      const { answer, closed } = exchange(port, expand(flask(name).request));
      const res = await answer;
      const header = (h: [string, string][], n: string) => h.find(([k]) => k === n)?.[1];
      expect(res.status_line).to.equal(flask(name).status_line);
      expect(res.body).to.equal(flask(name).body);
      for (const n of ["Content-Type", "Content-Length", "Connection"]) expect(header(res.headers, n), n).to.equal(header(flask(name).headers, n));
      // Flask lists Allow in the order of a Python set, which changes with the hash seed.
      const allow = (h: [string, string][]) => header(h, "Allow")?.split(", ").sort();
      expect(allow(res.headers)).to.deep.equal(allow(flask(name).headers));
      expect(await closed).to.deep.equal({ reset: false });
      await waitFor(() => logLines().length === 1, 5000, "the access line");
      expect(logLines()).to.deep.equal(flaskLog(name));
    });
  }

  it("a CONNECT rule's view runs, reads an empty body, and the server keeps answering", async () => {
    const { port } = await serve((app) => app.route("/tunnel", { methods: ["CONNECT"] }, function tunnel() { return `no tunnel (${request.get_data(true).length} bytes)`; }));
    const { answer, closed } = exchange(port, Buffer.from("CONNECT /tunnel HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"));
    const res = await answer;
    expect(res.status_line).to.equal("HTTP/1.1 200 OK");
    expect(res.body).to.equal("no tunnel (0 bytes)");
    expect(await closed).to.deep.equal({ reset: false });
    expect((await httpGet(port, "/")).body).to.equal("home");
  });

  it("a client that drops a CONNECT before the answer crashes nothing; the server keeps answering", async () => {
    const { port, logLines } = await serve((app) => app.route("/slow-tunnel", { methods: ["CONNECT"] }, async function slowTunnel() { await new Promise((r) => setTimeout(r, 200)); return "late"; }));
    const socket = net.connect(port, "127.0.0.1", () => socket.write("CONNECT /slow-tunnel HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.on("error", () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect((await httpGet(port, "/")).body).to.equal("home");
    await waitFor(() => logLines().some((l) => l.includes('"CONNECT /slow-tunnel HTTP/1.1"')), 5000, "the CONNECT's access line");
  });

  it("closeGracefully lets an in-flight CONNECT finish", async () => {
    const { server, port } = await serve((app) => app.route("/slow-tunnel", { methods: ["CONNECT"] }, async function slowTunnel() { await new Promise((r) => setTimeout(r, 300)); return "late"; }));
    const { answer } = exchange(port, Buffer.from("CONNECT /slow-tunnel HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"));
    await new Promise((r) => setTimeout(r, 100));
    await closeGracefully(server);
    expect((await answer).body).to.equal("late");
    expect(server.listening).to.equal(false);
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
