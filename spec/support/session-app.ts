// The TypeScript twin of the app in spec/fixtures/gen/flask_session_http.py: the quickstart's
// Sessions / Message Flashing example plus probe views, route for route and body for body, so a
// spec can replay the real Flask app's requests against it and compare the answers.
import { Flask, flash, get_flashed_messages, redirect, request, session, url_for } from "../../lib/index.js";
import { Markup } from "../../lib/markup.js";
import { toTyped } from "../fixtures/gen/typed-values.js";

export interface SessionAppOptions {
  secret_key?: string | null;
  fallbacks?: string[];
  config?: Record<string, unknown>;
}

export function buildSessionApp({ secret_key = "flaskish-test-secret", fallbacks = [], config = {} }: SessionAppOptions = {}): Flask {
  const app = new Flask(import.meta.url);
  app.secret_key = secret_key;
  app.config.SECRET_KEY_FALLBACKS = fallbacks;
  app.config.PROPAGATE_EXCEPTIONS = false;
  Object.assign(app.config, config);

  app.route("/", function index() {
    const messages = get_flashed_messages();
    const head = session.has("username") ? `Logged in as ${session.username}` : "You are not logged in";
    return head + messages.map((m) => `\n* ${m}`).join("");
  });

  app.route("/login", { methods: ["GET", "POST"] }, function login() {
    if (request.method === "POST") {
      session.username = request.form.get("username");
      flash("You were logged in");
      return redirect(url_for("index"));
    }
    return "<form method=post><input name=username></form>";
  });

  app.route("/logout", function logout() {
    session.pop("username", null);
    flash("You were logged out");
    return redirect(url_for("index"));
  });

  app.route("/remember", { methods: ["POST"] }, function remember() {
    session.permanent = true;
    session.username = request.form.get("username");
    return "remembered";
  });

  app.route("/forget", function forget() {
    session.permanent = false;
    return "forgotten";
  });

  app.route("/whoami", function whoami() {
    return session.get("username") || "nobody";
  });

  app.route("/dump", function dump() {
    return JSON.stringify(toTyped(session.to_dict()));
  });

  app.route("/big", function big() {
    session.set("items", Array.from({ length: 150 }, (_, i) => `item number ${i}`));
    return "big";
  });

  app.route("/clear", function clear() {
    session.clear();
    return "cleared";
  });

  app.route("/touch", function touch() {
    session.modified = true;
    return "touched";
  });

  app.route("/nothing", function nothing() {
    return "nothing";
  });

  app.route("/flash-many", function flash_many() {
    flash("a");
    flash("b", "error");
    flash("c", "info");
    flash("d", "error");
    flash(new Markup("<b>e</b>"), "warning");
    return "flashed";
  });

  app.route("/messages", function messages() {
    const first = get_flashed_messages({
      with_categories: request.args.get("with_categories") === "1",
      category_filter: request.args.getlist("category_filter") as string[],
    });
    const again = get_flashed_messages({ with_categories: true });
    return JSON.stringify({ first: toTyped(first), again: toTyped(again) });
  });

  return app;
}
