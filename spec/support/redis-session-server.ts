// One app process of spec/shared-sessions-redis.spec.ts: an Express host with express-session
// over Redis (connect-redis + the `redis` client) and the quickstart's Flask app mounted in it.
// Env: REDIS_URL, SESSION_INTERFACE ("express" or "default"), EXPRESS ("5" or "4").
// Prints "listening <port>" once it accepts requests on 127.0.0.1.
import express5 from "express";
import express4 from "express4";
import type { Express } from "express";
import expressSession from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";
import { Flask, flash, flaskish, get_flashed_messages, redirect, request, session, url_for } from "../../lib/index.js";
import { DefaultSessionInterface, ExpressSessionInterface } from "../../lib/express-session-interface.js";

const url = process.env.REDIS_URL;
if (!url) throw new Error("Set REDIS_URL (redis://127.0.0.1:<port>)");
const client = createClient({ url });
await client.connect();

const app = new Flask(import.meta.url);
app.session_interface = process.env.SESSION_INTERFACE === "express" ? new ExpressSessionInterface() : new DefaultSessionInterface();

app.route("/", function index() {
  const messages = get_flashed_messages();
  const head = session.has("username") ? `Logged in as ${session.username}` : "You are not logged in";
  return head + messages.map((m) => `\n* ${m}`).join("");
});
app.route("/login", { methods: ["POST"] }, function login() {
  session.username = request.form.get("username");
  flash("You were logged in");
  return redirect(url_for("index"));
});
app.route("/logout", function logout() {
  session.pop("username", null);
  flash("You were logged out");
  return redirect(url_for("index"));
});
app.route("/remember", function remember() {
  session.permanent = true;
  return "remembered";
});
app.route("/pid", () => String(process.pid));

const server: Express = process.env.EXPRESS === "4" ? (express4 as unknown as () => Express)() : express5();
server.use(expressSession({
  store: new RedisStore({ client, prefix: "flaskish-spec:" }),
  secret: "shared-host-secret",
  resave: false,
  saveUninitialized: false,
}));
server.get("/host/whoami", (req, res) => {
  res.send(String((req.session as unknown as Record<string, unknown>).username));
});
server.use(flaskish(app));
const listener = server.listen(0, "127.0.0.1", () => {
  const address = listener.address();
  process.stdout.write(`listening ${typeof address === "object" && address !== null ? address.port : ""}\n`);
});
process.on("SIGTERM", () => {
  listener.close();
  void client.quit().finally(() => process.exit(0));
});
