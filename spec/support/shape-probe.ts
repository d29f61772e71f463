// Runs in its own process with --allow-natives-syntax (spec/steady-shape.spec.ts starts it):
// serves a few requests on each kind of server, keeps every answered req/res, and prints one
// JSON object saying how many hidden classes those objects have among them (V8's %HaveSameMap)
// and whether they still have fast properties (%HasFastProperties).
import http from "node:http";
import type { AddressInfo } from "node:net";
import express5 from "express";
import express4 from "express4";
import { Flask, flaskish } from "../../lib/index.js";

type Native = (...args: unknown[]) => boolean;
// new Function keeps the % syntax away from the TypeScript compiler.
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as Native;
const hasFastProperties = new Function("o", "return %HasFastProperties(o)") as Native;

const app = new Flask(import.meta.url, { static_folder: null });
app.route("/post/<int:post_id>", ({ post_id }) => `Post ${post_id}`);

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type Answered = { req: http.IncomingMessage; res: http.ServerResponse };

function keepAnswered(answered: Answered[]): Listener {
  return (req, res) => {
    res.once("finish", () => answered.push({ req, res }));
  };
}

function mounted(createExpress: () => express5.Express, handler: Listener | ReturnType<typeof flaskish>): (answered: Answered[]) => http.RequestListener {
  return (answered) => {
    const server = createExpress();
    server.use((req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
      keepAnswered(answered)(req, res);
      next();
    });
    server.use(handler);
    return server;
  };
}

const rawHandler: Listener = (_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("Post 7");
};

const kinds: Record<string, (answered: Answered[]) => http.RequestListener> = {
  "flaskish in Express 5": mounted(() => express5(), flaskish(app)),
  "flaskish in Express 4": mounted(() => (express4 as unknown as () => express5.Express)(), flaskish(app)),
  "raw handler in Express 5": mounted(() => express5(), rawHandler),
  "flaskish on node:http": (answered) => {
    const handler = flaskish(app);
    return (req, res) => {
      keepAnswered(answered)(req, res);
      handler(req, res);
    };
  },
};

/** How many distinct hidden classes the objects have. */
function hiddenClasses(objects: object[]): number {
  const representatives: object[] = [];
  for (const object of objects) if (!representatives.some((seen) => haveSameMap(seen, object))) representatives.push(object);
  return representatives.length;
}

async function observe(listener: (answered: Answered[]) => http.RequestListener): Promise<Record<string, unknown>> {
  const answered: Answered[] = [];
  const server = http.createServer(listener(answered));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const bodies: string[] = [];
  for (let i = 0; i < 24; i++) {
    bodies.push(await new Promise<string>((resolve, reject) => {
      http.get({ host: "127.0.0.1", port, path: "/post/7", agent }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve(body));
      }).on("error", reject);
    }));
  }
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const later = answered.slice(6); // V8 is still sizing the classes of a process's first objects
  return {
    bodies: [...new Set(bodies)],
    answered: later.length,
    resClasses: hiddenClasses(later.map(({ res }) => res)),
    reqClasses: hiddenClasses(later.map(({ req }) => req)),
    resFast: later.every(({ res }) => hasFastProperties(res)),
    sendDate: later.map(({ res }) => Object.getOwnPropertyDescriptor(res, "sendDate")),
  };
}

const seen: Record<string, unknown> = {};
for (const [kind, listener] of Object.entries(kinds)) seen[kind] = await observe(listener);
console.log(JSON.stringify(seen));
