// Two app processes share sessions through a real Redis server: each is an Express host with
// express-session + connect-redis (spec/support/redis-session-server.ts) and the quickstart's
// Flask app mounted in it. Logging in through one process is seen by the other, flashes
// included. The spec starts its own redis-server on a free port (no persistence) and stops it;
// without redis-server it FAILS (.ci/run installs it).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { createClient } from "redis";
import request from "supertest";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns `cmd` and resolves once a stdout line matches `ready`; rejects on exit or spawn error. */
function startProcess(cmd: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.once("error", (e) => reject(new Error(`could not start ${cmd}: ${e.message}. Install it (apt-get install -y redis-server).`)));
    child.once("exit", (code) => reject(new Error(`${cmd} exited with ${code} before it was ready:\n${out}\n${err}`)));
    child.stderr!.on("data", (c: Buffer) => { err += c.toString(); });
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const match = out.match(ready);
      if (match) resolve({ child, match });
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

const SERVER = fileURLToPath(new URL("./support/redis-session-server.ts", import.meta.url));

describe("Sessions shared by two app processes through express-session and Redis", function () {
  this.timeout(30_000);
  let redis: ChildProcess | undefined;
  let redisUrl = "";
  const apps: ChildProcess[] = [];
  const urls: string[] = [];

  before(async () => {
    const port = await freePort();
    redis = (await startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], /Ready to accept connections/)).child;
    redisUrl = `redis://127.0.0.1:${port}`;
    // One process picks ExpressSessionInterface explicitly, the other detects req.session; Express 5 and 4.
    for (const [iface, major] of [["express", "5"], ["default", "4"]] as const) {
      const { child, match } = await startProcess(process.execPath, ["--import", "tsx", SERVER], /listening (\d+)/, {
        ...process.env, REDIS_URL: redisUrl, SESSION_INTERFACE: iface, EXPRESS: major,
      });
      apps.push(child);
      urls.push(`http://127.0.0.1:${match[1]}`);
    }
  });

  after(async () => {
    for (const child of apps) await stop(child);
    await stop(redis);
  });

  it("runs two distinct processes", async () => {
    const [a, b] = urls as [string, string];
    const pids = await Promise.all([request(a).get("/pid"), request(b).get("/pid")]);
    expect(pids[0].text).to.not.equal(pids[1].text);
  });

  it("logs in through one process and reads the session, flash included, through the other", async () => {
    const [a, b] = urls as [string, string];
    const login = await request(a).post("/login").type("form").send({ username: "alice" });
    expect(login.status).to.equal(302);
    const cookie = (login.headers["set-cookie"] as unknown as string[])[0]!.split(";")[0]!;
    expect(cookie).to.match(/^connect\.sid=/);

    expect((await request(b).get("/").set("Cookie", cookie)).text).to.equal("Logged in as alice\n* You were logged in");
    expect((await request(a).get("/").set("Cookie", cookie)).text, "the flash was consumed in the other process").to.equal("Logged in as alice");
    expect((await request(b).get("/host/whoami").set("Cookie", cookie)).text, "the host's own routes see it").to.equal("alice");

    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const keys = await client.keys("flaskish-spec:*");
      expect(keys).to.have.length(1);
      const stored = JSON.parse((await client.get(keys[0]!))!) as Record<string, unknown>;
      expect(stored.username).to.equal("alice");
      expect(stored, "the flash was popped from the store").to.not.have.property("_flashes");

      await request(b).get("/remember").set("Cookie", cookie);
      expect(await client.ttl(keys[0]!), "permanent: the store keeps it for PERMANENT_SESSION_LIFETIME").to.be.greaterThan(30 * 24 * 3600);
    } finally {
      await client.quit();
    }

    await request(b).get("/logout").set("Cookie", cookie);
    expect((await request(a).get("/").set("Cookie", cookie)).text).to.equal("You are not logged in\n* You were logged out");
  });
});
