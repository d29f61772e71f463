// The benchmark: each server variant in its own process, loaded by autocannon over loopback
// for a bounded time per scenario. Prints req/s, p99 latency, peak RSS and the ratios the
// Core issue sets as targets. Usage: npm run bench [-- --duration 5 --connections 50]
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const option = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const duration = option("duration", 5);
const connections = option("connections", 50);

const VARIANTS = ["raw", "express", "flaskish-standalone", "flaskish-express"] as const;
const SCENARIOS = [
  { name: "hello world", path: "/" },
  { name: "JSON dict", path: "/json" },
  { name: "/post/<int:post_id>", path: "/post/42" },
  { name: "1,000 rules, last one", path: "/r999/42" },
] as const;

interface Result { rps: number; p99: number; rss: number }

async function start(variant: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(new URL("./server.ts", import.meta.url).pathname, [variant, "0"], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const [msg] = (await once(child, "message")) as [{ port: number }];
  return { child, port: msg.port };
}

async function rss(child: ChildProcess): Promise<number> {
  child.send("rss");
  const [msg] = (await once(child, "message")) as [{ rss: number }];
  return msg.rss;
}

async function measure(variant: string, path: string): Promise<Result> {
  const { child, port } = await start(variant);
  let peak = 0;
  const timer = setInterval(() => { void rss(child).then((v) => { peak = Math.max(peak, v); }).catch(() => undefined); }, 250);
  try {
    // A short warm-up so the JIT has seen the path, then the measured run.
    await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: 1 });
    const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.requests.average, p99: result.latency.p99, rss: Math.max(peak, await rss(child)) };
  } finally {
    clearInterval(timer);
    child.send("stop");
    await once(child, "exit");
  }
}

const table: Record<string, Record<string, Result>> = {};
for (const scenario of SCENARIOS) {
  table[scenario.name] = {};
  for (const variant of VARIANTS) {
    const r = await measure(variant, scenario.path);
    table[scenario.name]![variant] = r;
    console.error(`${scenario.name.padEnd(24)} ${variant.padEnd(20)} ${Math.round(r.rps)} req/s  p99 ${r.p99} ms  rss ${(r.rss / 2 ** 20).toFixed(0)} MiB`);
  }
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const lines = [
  `Benchmark: ${duration}s per cell, ${connections} connections, autocannon on 127.0.0.1, Node ${process.version}.`,
  "",
  "| scenario | raw node:http | Express 5 | flaskish standalone | flaskish in Express 5 | standalone / raw | mounted / Express |",
  "|---|---|---|---|---|---|---|",
];
for (const scenario of SCENARIOS) {
  const row = table[scenario.name]!;
  const cell = (v: string) => `${Math.round(row[v]!.rps)} req/s, p99 ${row[v]!.p99} ms, ${mb(row[v]!.rss)}`;
  lines.push(
    `| ${scenario.name} | ${cell("raw")} | ${cell("express")} | ${cell("flaskish-standalone")} | ${cell("flaskish-express")} | ` +
      `${(row["flaskish-standalone"]!.rps / row.raw!.rps).toFixed(2)}× | ${(row["flaskish-express"]!.rps / row.express!.rps).toFixed(2)}× |`,
  );
}
const many = table["1,000 rules, last one"]!;
const single = table["/post/<int:post_id>"]!;
lines.push(
  "",
  `1,000 rules: standalone at ${((many["flaskish-standalone"]!.rps / single["flaskish-standalone"]!.rps) * 100).toFixed(0)}% of its single-rule figure; ` +
    `mounted at ${(many["flaskish-express"]!.rps / many.express!.rps).toFixed(2)}× Express.`,
);
const text = lines.join("\n");
console.log(text);
writeFileSync(new URL("./results/latest.md", import.meta.url), `${text}\n`);
