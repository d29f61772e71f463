// The benchmark: raw node:http, the same handlers in Express 5, the raw handler as Express 5's only
// middleware, flaskish standalone and flaskish mounted in Express 5, each in its own
// process, loaded over loopback by wrk or autocannon.
// Usage: npm run bench [-- --seconds 1 --rounds 10 --connections 50 --generator wrk|autocannon]
//
// The load generator is Debian's wrk when it is installed (`apt-get install wrk`), else
// autocannon. autocannon is JavaScript: on this 2-core machine it tops out near what raw
// node:http serves, so the servers wait on it between requests and the fastest variants are
// under-measured; wrk (C) keeps every server busy, which is what a throughput ratio compares.
//
// A small shared machine changes speed from one second to the next, so a cell measured once is
// mostly noise. Instead all five servers run at once (pinned to CPU 0 where `taskset` exists,
// with this process, the load generator, on CPU 1), and every cell is measured in short bursts,
// round-robin over the variants, `--rounds` times: slow and fast seconds fall on every variant
// alike, and a cell reports its median burst, so a few seconds when the machine was slow (it is
// shared) do not decide a ratio. Reported per cell: the median burst's requests per second and
// p99 latency, the peak RSS, and the server's CPU time per request over all bursts. A ratio is
// the median over the rounds of the ratio of the two bursts of one round (paired; in the
// table's ratios the two run one after the other), so a slow few seconds count once for both
// sides instead of pulling one side's median.
import { execFile, execFileSync, fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const option = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const seconds = option("seconds", 1);
const rounds = option("rounds", 10);
const connections = option("connections", 50);
const hasWrk = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version prints its version and exits 1; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
})();
const generatorIndex = args.indexOf("--generator");
const generator = generatorIndex === -1 ? (hasWrk ? "wrk" : "autocannon") : args[generatorIndex + 1];
if (generator !== "wrk" && generator !== "autocannon") throw new Error(`--generator ${generator}: use wrk or autocannon`);
if (generator === "wrk" && !hasWrk) throw new Error("--generator wrk: wrk is not installed (Debian: apt-get install wrk)");

// In this order each ratio's two variants run one after the other in every round (raw then
// standalone; Express + raw handler, mounted, Express), and the order reverses every round, so drift of the
// machine's speed within a round falls on both sides of a ratio alike.
const VARIANTS = ["raw", "flaskish-standalone", "express-raw", "flaskish-express", "express"] as const;
type Variant = (typeof VARIANTS)[number];
const SCENARIOS = [
  { name: "hello world", path: "/" },
  { name: "JSON dict", path: "/json" },
  { name: "/post/<int:post_id>", path: "/post/42" },
  { name: "1,000 rules, last one", path: "/r999/42" },
] as const;

function pinSelf(): boolean {
  try {
    execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const pinned = pinSelf();

// The servers run compiled JavaScript on plain node, as a deployment does: a process started
// under tsx runs every variant 10-20% slower. bench/tsconfig.json compiles server.ts with lib/.
execFileSync(process.execPath, [new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname, "-p", new URL("./tsconfig.json", import.meta.url).pathname], { stdio: "inherit" });

interface Server { child: ChildProcess; port: number; peakRss: number }

async function ask(child: ChildProcess, what: "rss" | "cpu"): Promise<number> {
  child.send(what);
  for (;;) {
    const [msg] = (await once(child, "message")) as [Record<string, number>];
    if (msg[what] !== undefined) return msg[what]!;
  }
}

async function start(variant: Variant): Promise<Server> {
  const script = new URL("./.build/bench/server.js", import.meta.url).pathname;
  const child = pinned
    ? fork(script, [variant, "0"], { execPath: "taskset", execArgv: ["-c", "0", process.execPath], stdio: "inherit" })
    : fork(script, [variant, "0"], { execArgv: [], stdio: "inherit" });
  const [msg] = (await once(child, "message")) as [{ port: number }];
  return { child, port: msg.port, peakRss: 0 };
}

interface Cell { requests: number; cpu: number; rates: number[]; p99s: number[] }

/** One burst as the load generator saw it: requests answered in `seconds`, p99 latency in ms. */
interface Load { requests: number; seconds: number; p99: number; failed: number }

async function loadWithAutocannon(url: string, duration: number): Promise<Load> {
  const started = process.hrtime.bigint();
  const result = await autocannon({ url, connections, duration });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { requests: result.requests.total, seconds, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

const run = promisify(execFile);
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60000 };

async function loadWithWrk(url: string, duration: number): Promise<Load> {
  const command = ["wrk", "-t1", `-c${connections}`, `-d${duration}s`, "--latency", url];
  // On CPU 1 with this process, the servers keep CPU 0 (see pinSelf).
  const { stdout } = pinned ? await run("taskset", ["-c", "1", ...command]) : await run(command[0]!, command.slice(1));
  const field = (re: RegExp): RegExpExecArray => re.exec(stdout) ?? (() => { throw new Error(`wrk output without ${re}:\n${stdout}`); })();
  const [, p99, unit] = field(/^\s*99%\s+([\d.]+)(us|ms|s|m)$/m);
  const [, requests, seconds, secondsUnit] = field(/(\d+) requests in ([\d.]+)(us|ms|s|m),/);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0);
  return {
    requests: Number(requests),
    seconds: (Number(seconds) * UNIT_MS[secondsUnit!]!) / 1000,
    p99: Number(p99) * UNIT_MS[unit!]!,
    failed: non2xx + errors,
  };
}

async function burst(server: Server, path: string, duration: number): Promise<{ requests: number; p99: number; cpu: number; seconds: number }> {
  const url = `http://127.0.0.1:${server.port}${path}`;
  const cpuBefore = await ask(server.child, "cpu");
  const load = await (generator === "wrk" ? loadWithWrk(url, duration) : loadWithAutocannon(url, duration));
  const cpu = (await ask(server.child, "cpu")) - cpuBefore;
  server.peakRss = Math.max(server.peakRss, await ask(server.child, "rss"));
  if (load.failed > 0) throw new Error(`${path}: ${load.failed} requests failed (non-2xx or socket errors)`);
  return { requests: load.requests, p99: load.p99, cpu, seconds: load.seconds };
}

const servers = {} as Record<Variant, Server>;
for (const variant of VARIANTS) servers[variant] = await start(variant);
try {
  for (const variant of VARIANTS) for (const scenario of SCENARIOS) await burst(servers[variant], scenario.path, 1); // warm-up
  const cells: Record<string, Record<string, Cell>> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of SCENARIOS) {
      const order = round % 2 === 1 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const r = await burst(servers[variant], scenario.path, seconds);
        const cell = ((cells[scenario.name] ??= {})[variant] ??= { requests: 0, cpu: 0, rates: [], p99s: [] });
        cell.requests += r.requests;
        cell.cpu += r.cpu;
        cell.rates.push(r.requests / r.seconds);
        cell.p99s.push(r.p99);
      }
    }
    console.error(`round ${round}/${rounds} done`);
  }
  report(cells);
} finally {
  for (const server of Object.values(servers)) server.child.kill("SIGTERM");
}

function report(cells: Record<string, Record<string, Cell>>): void {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const rps = (c: Cell) => median(c.rates);
  /** The median of the per-round ratios of a's and b's bursts (each round measures both). */
  const paired = (a: Cell, b: Cell) => median(a.rates.map((rate, round) => rate / b.rates[round]!));
  const cpu = (c: Cell) => c.cpu / c.requests;
  const p99 = (c: Cell) => median(c.p99s);
  const mib = (v: Variant) => `${(servers[v].peakRss / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `Benchmark: ${rounds} rounds of ${seconds}s bursts per cell, round-robin over the variants; ${connections} connections; ` +
      `${generator} on 127.0.0.1; Node ${process.version}; ${pinned ? "servers pinned to CPU 0, load generator to CPU 1" : "no CPU pinning"}.`,
    "Each cell: the median burst's requests/s and p99 latency, peak RSS of the server process, server CPU time per request (all bursts). " +
      "Ratios: the median over the rounds of the two variants' requests/s in that round (paired bursts, one after the other).",
    "",
    "| scenario | raw node:http | Express 5 | Express 5 + raw handler | flaskish standalone | flaskish in Express 5 | standalone / raw | mounted / Express | mounted / Express + raw |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const scenario of SCENARIOS) {
    const row = cells[scenario.name]!;
    const cell = (v: Variant) => `${Math.round(rps(row[v]!))} req/s, p99 ${Number(p99(row[v]!).toFixed(2))} ms, ${mib(v)}, ${cpu(row[v]!).toFixed(1)} µs`;
    const ratio = (a: Variant, b: Variant) => `${paired(row[a]!, row[b]!).toFixed(2)}×`;
    lines.push(
      `| ${scenario.name} | ${cell("raw")} | ${cell("express")} | ${cell("express-raw")} | ${cell("flaskish-standalone")} | ${cell("flaskish-express")} | ` +
        `${ratio("flaskish-standalone", "raw")} | ${ratio("flaskish-express", "express")} | ${ratio("flaskish-express", "express-raw")} |`,
    );
  }
  const many = cells["1,000 rules, last one"]!;
  const single = cells["/post/<int:post_id>"]!;
  lines.push(
    "",
    `1,000 rules: flaskish standalone at ${(paired(many["flaskish-standalone"]!, single["flaskish-standalone"]!) * 100).toFixed(0)}% ` +
      `of its single-rule req/s; mounted at ${paired(many["flaskish-express"]!, many.express!).toFixed(2)}× Express 5; ` +
      `raw node:http does ${paired(single.raw!, single.express!).toFixed(1)}× Express 5 on /post/<int:post_id>.`,
    `Express 5 + raw handler: the raw handler as Express's only middleware (Express's own cost per request, and Node writing a response whose prototype Express replaced); ` +
      `Express with 1,000 routes runs at 1/${paired(many["express-raw"]!, many.express!).toFixed(2)} of it.`,
  );
  const text = lines.join("\n");
  console.log(text);
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(new URL("./results/latest.md", import.meta.url), `${text}\n`);
}
