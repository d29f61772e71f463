// One benchmark server process: `node --import tsx bench/server.ts <variant> <port>`.
// Variants serve the same four scenarios so bench/run.ts can compare them:
//   /            hello world (text/html)
//   /json        a small JSON dict
//   /post/42     a typed path parameter
//   /r999/42     the last of 1,000 rules (each /r<i>/<int:id>)
import http from "node:http";
import express from "express";
import { Flask, flaskish } from "../lib/index.js";

const RULES = 1000;
const [variant = "raw", portText = "0"] = process.argv.slice(2);
const port = Number(portText);
const hello = "<p>Hello, World!</p>";
const dict = { name: "flaskish", version: 1, tags: ["a", "b"] };

function rawHandler(): http.RequestListener {
  // The ceiling: what a hand-written node:http handler does for the same four URLs.
  const manyRules = new Map<string, true>();
  for (let i = 0; i < RULES; i++) manyRules.set(`r${i}`, true);
  return (req, res) => {
    const url = req.url ?? "/";
    if (url === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(hello) });
      res.end(hello);
      return;
    }
    if (url === "/json") {
      const body = `${JSON.stringify(dict)}\n`;
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const [, first, second] = url.split("/");
    if (first === "post" && second && /^\d+$/.test(second)) {
      const body = `Post ${Number(second)}`;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (first && manyRules.has(first) && second && /^\d+$/.test(second)) {
      const body = `${first} ${Number(second)}`;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(404);
    res.end();
  };
}

function rawServer(): http.Server {
  return http.createServer(rawHandler());
}

function expressRaw(): http.Server {
  // Express's own per-request cost: the raw handler as its only middleware. It writes to a
  // res whose prototype Express replaced, so on Node 20 every property Node sets while writing
  // makes a hidden class for that one response; flaskish mounted avoids that (lib/steady-shape.ts).
  const app = express();
  app.use(rawHandler());
  return http.createServer(app);
}

function expressServer(): http.Server {
  const app = express();
  app.get("/", (_req, res) => { res.send(hello); });
  app.get("/json", (_req, res) => { res.json(dict); });
  app.get("/post/:post_id", (req, res) => { res.send(`Post ${Number(req.params.post_id)}`); });
  for (let i = 0; i < RULES; i++) app.get(`/r${i}/:id`, (req, res) => { res.send(`r${i} ${Number(req.params.id)}`); });
  return http.createServer(app);
}

function flaskApp(): Flask {
  const app = new Flask(import.meta.url, { static_folder: null });
  app.route("/", function index() { return hello; });
  app.route("/json", function json() { return dict; });
  app.route("/post/<int:post_id>", function show_post({ post_id }) { return `Post ${post_id}`; });
  for (let i = 0; i < RULES; i++) app.route(`/r${i}/<int:id>`, { endpoint: `r${i}` }, ({ id }) => `r${i} ${id}`);
  return app;
}

function flaskishStandalone(): http.Server {
  const handler = flaskish(flaskApp());
  return http.createServer((req, res) => handler(req, res));
}

function flaskishMounted(): http.Server {
  const app = express();
  app.use(flaskish(flaskApp()));
  return http.createServer(app);
}

const servers: Record<string, () => http.Server> = {
  raw: rawServer,
  express: expressServer,
  "express-raw": expressRaw,
  "flaskish-standalone": flaskishStandalone,
  "flaskish-express": flaskishMounted,
};
const make = servers[variant];
if (make === undefined) throw new Error(`unknown variant ${variant}: use one of ${Object.keys(servers).join(", ")}`);
const server = make();
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : port });
});
process.on("message", (msg) => {
  if (msg === "rss") process.send?.({ rss: process.memoryUsage().rss });
  if (msg === "cpu") {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
  if (msg === "stop") server.close(() => process.exit(0));
});
process.on("SIGTERM", () => process.exit(0));
