// Replays the request sequences recorded from a real Flask app (spec/fixtures/flask-session-http.json,
// made by spec/fixtures/gen/flask_session_http.py) against the twin app over HTTP, in lockstep:
// every request carries the exact cookie Flask's client sent, so each answer is compared with
// Flask's answer to the same bytes. The session clock is pinned to the recorded time of each step.
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { expect } from "chai";
import request from "supertest";
import { flaskish } from "../../lib/index.js";
import { base64_decode } from "../../lib/itsdangerous.js";
import type { ExpressFlavour } from "./express.js";
import { buildSessionApp } from "./session-app.js";

export interface RecordedStep {
  method: "GET" | "POST"; path: string; form: Record<string, string> | null; now: number; cookie_sent: string | null;
  status: number; location: string | null; vary: string | null; set_cookie: string[]; body: string;
}
export interface Scenario { name: string; secret_key: string; fallbacks: string[]; config: Record<string, unknown>; steps: RecordedStep[] }
export interface FlaskishMinted {
  name: string; secret_key: string; fallbacks: string[]; minted_with: string; config?: Record<string, unknown>;
  steps: { method?: "GET" | "POST"; path: string; form?: Record<string, string> }[];
  now: number; then: string; set_cookie: string; cookie: string; flask_dump: unknown; flask_then_body: string;
}

export const HTTP_FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/flask-session-http.json", import.meta.url), "utf8")) as {
  t0: number; scenarios: Scenario[]; flaskish_minted: FlaskishMinted[];
};

/** The JSON text inside a session cookie value (inflated when it starts with "."). */
export function payloadText(cookie: string): string {
  const compressed = cookie.startsWith(".");
  const raw = base64_decode((compressed ? cookie.slice(1) : cookie).split(".")[0] as string);
  return (compressed ? inflateSync(raw) : raw).toString("utf8");
}

/**
 * Same Set-Cookie as Flask's. Uncompressed values must match byte for byte. Compressed ones
 * must hold the same JSON and timestamp with the same attributes: Node's zlib deflates the same
 * input to different (equally valid) bytes than CPython's, and Flask accepts ours (see the
 * flaskish_minted cases).
 */
export function expectSameSetCookie(ours: string, theirs: string): void {
  const [oursPair = "", ...oursAttrs] = ours.split("; ");
  const [theirsPair = "", ...theirsAttrs] = theirs.split("; ");
  expect(oursAttrs, "cookie attributes").to.deep.equal(theirsAttrs);
  const [oursName, oursValue = ""] = oursPair.split(/=(.*)/s);
  const [theirsName, theirsValue = ""] = theirsPair.split(/=(.*)/s);
  expect(oursName).to.equal(theirsName);
  if (!theirsValue.startsWith(".")) {
    expect(oursValue).to.equal(theirsValue);
    return;
  }
  expect(oursValue.startsWith("."), "compressed like Flask's").to.equal(true);
  expect(payloadText(oursValue)).to.equal(payloadText(theirsValue));
  expect(oursValue.split(".").at(-2), "timestamp").to.equal(theirsValue.split(".").at(-2));
}

const JSON_BODIES = /^\/(dump|messages)/;

/** Sends one recorded request to `server` and compares the answer with Flask's. */
export async function replayStep(
  server: Parameters<typeof request>[0],
  scenario: Scenario,
  step: RecordedStep,
  setClock: (now: number) => void,
): Promise<void> {
  setClock(step.now);
  const cookieName = (scenario.config.SESSION_COOKIE_NAME as string | undefined) ?? "session";
  let req = step.method === "POST" ? request(server).post(step.path).type("form").send(step.form ?? {}) : request(server).get(step.path);
  if (step.cookie_sent !== null) req = req.set("Cookie", `${cookieName}=${step.cookie_sent}`);
  const res = await req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on("data", (c: Buffer) => chunks.push(c));
    r.on("end", () => cb(null, Buffer.concat(chunks).toString("utf8")));
  });
  const where = `${scenario.name}: ${step.method} ${step.path}`;
  expect(res.status, where).to.equal(step.status);
  expect(res.headers.location ?? null, `${where} Location`).to.equal(step.location);
  expect(res.headers.vary ?? null, `${where} Vary`).to.equal(step.vary);
  const setCookies = (res.headers["set-cookie"] as unknown as string[] | undefined) ?? [];
  expect(setCookies.length, `${where} Set-Cookie count`).to.equal(step.set_cookie.length);
  step.set_cookie.forEach((theirs, i) => expectSameSetCookie(setCookies[i] as string, theirs));
  const body = res.body as string;
  if (step.status === 302) return; // the redirect page's HTML is the response module's business
  if (JSON_BODIES.test(step.path)) expect(JSON.parse(body), `${where} body`).to.deep.equal(JSON.parse(step.body));
  else expect(body, `${where} body`).to.equal(step.body);
}

/** The twin app for a recorded scenario, mounted in `flavour`, with its clock setter. */
export function mountScenario(flavour: ExpressFlavour, scenario: Scenario) {
  const app = buildSessionApp({ secret_key: scenario.secret_key, fallbacks: scenario.fallbacks, config: scenario.config });
  let now = HTTP_FIXTURE.t0;
  // The clock is pinned to each recorded step: the suite never depends on today's date.
  app.session_interface.now = () => now;
  const server = flavour.create().use(flaskish(app, { fallthrough: false, propagate_errors: false }));
  return { app, server, setClock: (t: number) => { now = t; } };
}
