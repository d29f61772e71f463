// An existing Express app (its own routes, express-session, its own error middleware) with a
// Flask-style app mounted under /legacy. Exports the Express app and does not listen:
// main.ts listens, spec/demo-express-stack.spec.ts drives it over HTTP.
import express, { type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import { Flask, flash, flaskish, get_flashed_messages, redirect, request, session as flaskSession, url_for } from "../../lib/index.js";

// The Flask side, as it was ported from Python.
export const legacy = new Flask(import.meta.url);
legacy.route("/", function index() {
  const who = flaskSession.get("user") ?? "nobody";
  const messages = get_flashed_messages().map((m) => `<li>${m}</li>`).join("");
  return `<h1>Legacy home</h1><ul>${messages}</ul><p>user: ${who}</p><a href="${url_for("login", { user: "alice" })}">log in</a>`;
});
legacy.route("/login", function login() {
  // The host's express-session store holds this: the Express routes see it too.
  flaskSession.user = request.args.get("user", "anonymous");
  flash(`Welcome, ${flaskSession.user}`);
  return redirect(url_for("index"));
});
legacy.route("/where", function where() {
  return { index: url_for("index"), external: url_for("index", { _external: true }), script_root: request.script_root };
});
legacy.route("/boom", function boom() {
  throw new Error("legacy code failed");
});

// The host Express app.
export const server = express();
server.use(session({ secret: process.env.SESSION_SECRET ?? "dev only", resave: false, saveUninitialized: false }));
server.get("/", (_req, res) => {
  res.send('<h1>The Express app</h1><a href="/legacy/">the legacy Flask app</a>');
});
server.get("/whoami", (req, res) => {
  // Read what the Flask side wrote into the shared session.
  res.json({ user: (req.session as unknown as { user?: string }).user ?? null });
});
server.use("/legacy", flaskish(legacy));
// URLs the Flask app has no rule for fall through to here.
server.get("/legacy/express-only", (_req, res) => {
  res.send("answered by Express after flaskish fell through");
});
server.use((_req, res) => {
  res.status(404).send("Express 404");
});
// Unhandled errors from the Flask app arrive here, as from any Express route.
server.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  res.status(500).json({ error: err.message, handled_by: "express error middleware" });
});
