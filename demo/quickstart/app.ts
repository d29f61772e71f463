// The Quickstart, section by section, as one flaskish app. It exports the app and does not
// listen: `npx flaskish --app demo/quickstart/app.ts run` (the README's `npm run demo`) serves it,
// and spec/demo-quickstart.spec.ts drives it over HTTP.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  Flask, Markup, ProxyFix, abort, escape, flash, g, jsonify, make_response, redirect,
  render_template, render_template_string, request, secure_filename, session, url_for,
} from "../../lib/index.js";
import { use_nunjucks } from "../../lib/nunjucks.js"; // "flaskish/nunjucks" in an installed app

export const app = new Flask(import.meta.url);
// Templates in templates/*.html are Jinja syntax (as in a Flask project), rendered by nunjucks;
// templates/*.ejs go through ejs, the default engine.
use_nunjucks(app);
app.secret_key = process.env.SECRET_KEY ?? "dev only: set SECRET_KEY in production";
export const UPLOAD_FOLDER = process.env.UPLOAD_FOLDER ?? path.join(os.tmpdir(), "flaskish-quickstart-uploads");
fs.mkdirSync(UPLOAD_FOLDER, { recursive: true });

// --- A Minimal Application + Message Flashing + Sessions ---------------------------------------
app.route("/", function index() {
  return render_template("index.html", { username: session.get("username") });
});

// --- HTML Escaping -------------------------------------------------------------------------------
app.route("/hello-escape/<name>", function hello_escape({ name }) {
  return `Hello, ${escape(name)}!`;
});

// --- Variable Rules: every converter -------------------------------------------------------------
app.route("/user/<username>", function show_user_profile({ username }) {
  return `User ${escape(username)}`;
});
app.route("/post/<int:post_id>", function show_post({ post_id }) {
  return `Post ${post_id} (a ${typeof post_id})`;
});
app.route("/path/<path:subpath>", function show_subpath({ subpath }) {
  return `Subpath ${escape(subpath)}`;
});
app.route("/price/<float:amount>", function show_price({ amount }) {
  return `Price ${amount.toFixed(2)}`;
});
app.route("/item/<uuid:item_id>", function show_item({ item_id }) {
  return `Item ${item_id}`;
});
app.route("/page/<any(about, help):page_name>", function show_page({ page_name }) {
  return `Page ${page_name}`;
});

// --- Unique URLs / Redirection Behavior ----------------------------------------------------------
app.route("/projects/", function projects() {
  return "The project page";
});
app.route("/about", function about() {
  return "The about page";
});

// --- URL Building --------------------------------------------------------------------------------
app.route("/urls", function urls() {
  return {
    index: url_for("index"),
    login: url_for("login"),
    login_next: url_for("login", { next: "/" }),
    profile: url_for("show_user_profile", { username: "John Doe" }),
    style: url_for("static", { filename: "style.css" }),
  };
});

// --- HTTP Methods, Accessing Request Data, Sessions, Message Flashing ----------------------------
function valid_login(username: string, password: string): boolean {
  return username.length > 0 && password === "secret";
}

function log_the_user_in(username: string) {
  session.username = username;
  flash("You were successfully logged in");
  return redirect(url_for("index"));
}

app.route("/login", { methods: ["POST", "GET"] }, function login() {
  let error: string | null = null;
  if (request.method === "POST") {
    if (valid_login(request.form["username"], request.form["password"])) {
      return log_the_user_in(request.form["username"]);
    }
    error = "Invalid username/password";
  }
  // the code below is executed if the request method was GET or the credentials were invalid
  return render_template("login.html", { error });
});

app.route("/logout", function logout() {
  session.pop("username", null);
  flash("You were logged out", "info");
  return redirect(url_for("index"));
});

app.route("/search", function search() {
  const searchword = request.args.get("key", "");
  return render_template_string("<p>You searched for {{ word }}</p>", { word: searchword });
});

// --- Rendering Templates: Jinja (nunjucks) and ejs -----------------------------------------------
app.route("/hello/", function hello() {
  return render_template("hello.html", { name: null });
});
app.route("/hello/<name>", function hello_name({ name }) {
  return render_template("hello.html", { name });
});
app.route("/hello-ejs/<name>", function hello_ejs({ name }) {
  return render_template("hello.ejs", { name, motto: new Markup("<em>trusted</em> markup") });
});

// --- File Uploads --------------------------------------------------------------------------------
app.route("/upload", { methods: ["GET", "POST"] }, function upload_file() {
  if (request.method === "POST") {
    const f = request.files["the_file"];
    const filename = secure_filename(f.filename ?? "");
    if (!filename) {
      flash("Choose a file first", "error");
      return redirect(url_for("upload_file"));
    }
    f.save(path.join(UPLOAD_FOLDER, filename));
    flash(`Uploaded ${filename} (${fs.statSync(path.join(UPLOAD_FOLDER, filename)).size} bytes)`);
    return redirect(url_for("upload_file"));
  }
  return render_template("upload.html", { files: fs.readdirSync(UPLOAD_FOLDER).sort() });
});

// --- Cookies -------------------------------------------------------------------------------------
app.route("/cookies", function cookies() {
  const username = request.cookies.get("username");
  const resp = make_response(`Your cookie says: ${escape(username ?? "(none)")}`);
  resp.set_cookie("username", "the username");
  return resp;
});

// --- Redirects and Errors ------------------------------------------------------------------------
app.route("/go-home", function go_home() {
  return redirect(url_for("index"));
});
app.route("/secret", function secret() {
  abort(401);
});
app.errorhandler(404, function page_not_found() {
  return [render_template("page_not_found.html"), 404];
});

// --- About Responses -----------------------------------------------------------------------------
app.route("/responses/tuple", function tuple_response() {
  return ["<p>created</p>", 201, { "X-Demo": "tuple" }];
});
app.route("/responses/custom", function custom_response() {
  const resp = make_response(render_template("error.html"), 404);
  resp.headers.set("X-Something", "A value");
  return resp;
});
app.route("/responses/stream", function stream_response() {
  return (function* generate() {
    for (const part of ["streamed ", "in ", "parts"]) yield part;
  })();
});

// --- APIs with JSON ------------------------------------------------------------------------------
interface User { username: string; theme: string; image: string }
const USERS: User[] = [
  { username: "alice", theme: "dark", image: "alice.png" },
  { username: "bob", theme: "light", image: "bob.png" },
];
app.route("/me", function me_api() {
  const user = USERS[0]!;
  return { username: user.username, theme: user.theme, image: url_for("user_image", { filename: user.image }) };
});
app.route("/users", function users_api() {
  return jsonify(USERS.map((u) => ({ username: u.username })));
});
app.route("/images/<filename>", function user_image({ filename }) {
  return `image ${escape(filename)}`;
});

// --- Logging -------------------------------------------------------------------------------------
app.route("/log", function log_demo() {
  app.logger.debug("A value for debugging");
  app.logger.warning("A warning occurred (%d apples)", 42);
  return "logged a warning";
});

// --- Hooking in WSGI middleware: ProxyFix trusts one proxy's X-Forwarded-* headers ---------------
app.wsgi_app = ProxyFix(app.wsgi_app, { x_for: 1, x_proto: 1, x_host: 1 });
app.route("/whoami", function whoami() {
  return { remote_addr: request.remote_addr, scheme: request.scheme, host: request.host, url: url_for("whoami", { _external: true }) };
});

// --- and request hooks: a before/after pair that times requests ---------------------------------
app.before_request(function start_timer() {
  g.started = process.hrtime.bigint();
});
app.after_request(function add_timing(response) {
  const started = g.get("started") as bigint | undefined;
  if (started !== undefined) response.headers.set("Server-Timing", `app;dur=${Number(process.hrtime.bigint() - started) / 1e6}`);
  return response;
});
