// Throwaway app folders and child processes for the CLI specs: each project is a temp folder
// with package.json {"type":"module"}; children run bin/flaskish.js in their own process group
// so the reloader's child dies with its parent. Everything listens on 127.0.0.1.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin/flaskish.js");
/** What app modules import flaskish as. */
export const LIB = pathToFileURL(path.join(ROOT, "lib/index.ts")).href;

/** A temp folder holding `files` (paths relative to it), with an ESM package.json. */
export function makeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-cli-"));
  fs.writeFileSync(path.join(dir, "package.json"), '{"type":"module"}\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 50 ms until it returns true; throws after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}

export interface CliProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group (the reloader's child too). */
  kill(): void;
}

/** Runs `flaskish ...args` in `cwd` with FLASK_* variables cleared. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}, input?: string): CliProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^FLASK(ISH)?_/.test(k)));
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...clean, NO_COLOR: "1", ...env }, detached: true, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  if (input !== undefined) proc.stdin!.end(input);
  let out = "";
  let err = "";
  proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: () => {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
}

/** GET/POST over node:http to 127.0.0.1, resolving with status, headers and body text. */
export function httpGet(port: number, pathName: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return fetch(`http://127.0.0.1:${port}${pathName}`).then(async (res) => ({
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: await res.text(),
  }));
}
