// render_template and friends over Express's engine machinery: ejs by default (with Flask's
// escaping), any Express-signature engine by extension, Flask's autoescape rule, the template
// context, caching and auto-reload, TemplateNotFound. The Jinja side is in nunjucks.spec.ts.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { Blueprint, Flask, flaskish, escape, flash, g, Markup, session } from "../lib/index.js";
import {
  render_template,
  render_template_string,
  select_autoescape,
  stream_template,
  TemplateNotFound,
  type TemplateEngine,
} from "../lib/templating.js";

let root: string;
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-templating-")));
  write("templates/hello.ejs", "<p>Hello <%= name %>!</p>");
  write("templates/raw.ejs", "<%- html %>|<%= html %>");
  write("templates/page.html", `<%- include("_header.html", { title: title }) %><main><%= body %></main><%- include("_footer.html") %>`);
  write("templates/_header.html", "<header><%= title %></header>");
  write("templates/_footer.html", "<footer>&copy; <%= config.SITE %></footer>");
  write("templates/mail.txt.ejs", "Hi <%= name %> & co");
  write("templates/users/index.ejs", "users index");
  write("secret.ejs", "SECRET");
  write("admin/templates/admin/panel.ejs", `<%- include("_header.html", { title: "Admin" }) %><%= who %>`);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function makeApp(): Flask {
  const app = new Flask(import.meta.url, { root_path: root });
  app.secret_key = "test";
  app.config.SITE = "Example";
  return app;
}

describe("escape (quickstart: HTML Escaping)", () => {
  it("escapes the name in f\"Hello, {escape(name)}!\" as markupsafe does", async () => {
    const app = makeApp();
    app.route("/<name>", ({ name }) => `Hello, ${escape(name)}!`);
    const res = await request(flaskish(app)).get(`/${encodeURIComponent(`<script>alert("bad" & 'worse')`)}`);
    expect(res.text).to.equal("Hello, &lt;script&gt;alert(&#34;bad&#34; &amp; &#39;worse&#39;)!");
  });
});

describe("render_template (ejs, the default engine)", () => {
  it("renders from templates/ next to the app, escaping <%= %> with markupsafe's entities", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      expect(render_template("hello.ejs", { name: `<b>"Bob" & 'Al'</b>` })).to.equal("<p>Hello &lt;b&gt;&#34;Bob&#34; &amp; &#39;Al&#39;&lt;/b&gt;!</p>");
    });
  });

  it("does not escape Markup (or any __html__ object) a second time, and <%- %> never escapes", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      expect(render_template("raw.ejs", { html: new Markup("<i>ok</i>") })).to.equal("<i>ok</i>|<i>ok</i>");
      expect(render_template("raw.ejs", { html: { __html__: () => "<u>x</u>" } })).to.match(/\|<u>x<\/u>$/);
      expect(render_template("raw.ejs", { html: "<i>" })).to.equal("<i>|&lt;i&gt;");
    });
  });

  it("renders .html files with ejs, with include() finding partials and the context inside them", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      expect(render_template("page.html", { title: "<T>", body: "B&B" })).to.equal("<header>&lt;T&gt;</header><main>B&amp;B</main><footer>&copy; Example</footer>");
    });
  });

  it("returns a string synchronously, so a view can return it as in Flask", async () => {
    const app = makeApp();
    app.route("/hello/<name>", ({ name }) => {
      const html = render_template("hello.ejs", { name });
      expect(html).to.be.a("string");
      return html;
    });
    const res = await request(flaskish(app)).get("/hello/World");
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.equal("text/html; charset=utf-8");
    expect(res.text).to.equal("<p>Hello World!</p>");
  });

  it("adds the view engine's extension to names without one, and finds <name>/index.<ext> (Express's lookup)", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      expect(render_template("hello", { name: "x" })).to.equal("<p>Hello x!</p>");
      expect(render_template("users")).to.equal("users index");
    });
  });

  it("renders the first existing template of a list", () => {
    const app = makeApp();
    app.test_request_context().run(() => expect(render_template(["missing.ejs", "hello.ejs"], { name: "y" })).to.equal("<p>Hello y!</p>"));
  });
});

describe("select_autoescape", () => {
  it("follows Flask: on for .html .htm .xml .xhtml .svg and strings, off otherwise; .ejs counts as HTML", () => {
    const table: [string | null, boolean][] = [
      ["a.html", true], ["a.htm", true], ["a.xml", true], ["a.xhtml", true], ["a.svg", true], [null, true],
      ["a.txt", false], ["a.js", false], ["a.html.j2", false], ["a.ejs", true], ["a.html.ejs", true], ["a.txt.ejs", false],
    ];
    for (const [name, expected] of table) expect(select_autoescape(name), String(name)).to.equal(expected);
  });

  it("turns <%= %> escaping off for a non-HTML template and keeps it for render_template_string", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      expect(render_template("mail.txt.ejs", { name: "<Bob>" })).to.equal("Hi <Bob> & co");
      expect(render_template_string("<%= a %>", { a: "<a>" })).to.equal("&lt;a&gt;");
    });
  });
});

describe("template context", () => {
  it("always has config, request, session, g, url_for and get_flashed_messages", () => {
    const app = makeApp();
    app.route("/", function index() { return ""; });
    app.test_request_context("/?q=1").run(() => {
      session.set("user", "jo");
      g.id = 7;
      flash("hi <there>");
      const out = render_template_string(
        "<%= config.SITE %>|<%= request.args.get('q') %>|<%= session.get('user') %>|<%= g.id %>|<%= url_for('index', { x: 1 }) %>|<%= get_flashed_messages().join() %>",
      );
      expect(out).to.equal("Example|1|jo|7|/?x=1|hi &lt;there&gt;");
    });
  });

  it("merges context processors under the view's own values, blueprint processors only for that blueprint", async () => {
    const app = makeApp();
    app.context_processor(() => ({ who: "app", site: "s" }));
    const admin = new Blueprint("admin", import.meta.url, { root_path: path.join(root, "admin"), template_folder: "templates", url_prefix: "/admin" });
    admin.context_processor(() => ({ who: "admin" }));
    admin.route("/panel", function panel() { return render_template("admin/panel.ejs"); });
    app.route("/", function index() { return render_template_string("<%= who %>/<%= site %>"); });
    app.route("/override", function override() { return render_template_string("<%= who %>", { who: "view" }); });
    app.register_blueprint(admin);
    const server = flaskish(app);
    expect((await request(server).get("/")).text).to.equal("app/s");
    expect((await request(server).get("/override")).text).to.equal("view");
    expect((await request(server).get("/admin/panel")).text).to.equal("<header>Admin</header>admin");
  });

  it("exposes template_global functions to every engine; blueprints register globals, filters and tests app-wide", () => {
    const app = makeApp();
    app.template_global("double", (n: number) => 2 * n);
    const bp = new Blueprint("bp", import.meta.url);
    bp.app_template_global("triple", (n: number) => 3 * n);
    bp.app_template_filter("rev", (s: string) => [...s].reverse().join(""));
    bp.app_template_test("even", (n: number) => n % 2 === 0);
    expect(() => bp.template_filter("nope", (s: string) => s)).to.throw(TypeError, /app_template_filter/);
    app.register_blueprint(bp);
    expect(Object.keys(app.jinja_env.filters)).to.include("rev");
    expect(Object.keys(app.jinja_env.tests)).to.include("even");
    app.test_request_context().run(() => expect(render_template_string("<%= double(2) %><%= triple(2) %>")).to.equal("46"));
  });
});

describe("app.engine (Express engines)", () => {
  it("renders any extension with an engine of Express's signature, passing views and autoescape in settings", () => {
    const app = makeApp();
    const seen: Record<string, any>[] = [];
    const tpl: TemplateEngine = (file, options, callback) => {
      seen.push(options);
      callback(null, fs.readFileSync(file, "utf8").replace(/\{(\w+)\}/g, (_m, k: string) => String(options[k])));
    };
    app.engine("tpl", tpl);
    write("templates/card.tpl", "card {name}");
    app.test_request_context().run(() => expect(render_template("card.tpl", { name: "N" })).to.equal("card N"));
    expect(seen[0]!.settings.views).to.deep.equal([path.join(root, "templates")]);
    expect(seen[0]!.settings.autoescape).to.equal(false);
    expect(seen[0]!.request).to.not.equal(undefined);
  });

  it("returns a Promise for an engine that calls back later, and a view may return it", async () => {
    const app = makeApp();
    app.engine(".later", (file, options, callback) => setImmediate(() => callback(null, `later:${options.x}`)));
    write("templates/x.later", "");
    app.route("/", function index() {
      const rv = render_template("x.later", { x: 1 });
      expect(rv).to.be.instanceOf(Promise);
      return rv;
    });
    expect((await request(flaskish(app)).get("/")).text).to.equal("later:1");
  });

  it("passes engine errors on, sync or async", async () => {
    const app = makeApp();
    app.engine("bad", (_f, _o, callback) => callback(new Error("engine broke")));
    write("templates/x.bad", "");
    app.test_request_context().run(() => expect(() => render_template("x.bad")).to.throw("engine broke"));
  });

  it("loads require(ext).__express for an unregistered extension, as Express does", () => {
    const app = makeApp();
    delete app.jinja_env.engines[".ejs"];
    app.test_request_context().run(() => expect(render_template("hello.ejs", { name: "auto" })).to.equal("<p>Hello auto!</p>"));
    expect(app.jinja_env.engines[".ejs"]).to.be.a("function");
  });

  it("says how to register an engine when none is found", () => {
    const app = makeApp();
    write("templates/x.nosuchengine", "");
    app.test_request_context().run(() => expect(() => render_template("x.nosuchengine")).to.throw(/register one with app\.jinja_env\.engine\("nosuchengine"/));
  });
});

describe("TemplateNotFound", () => {
  it("names the template and every folder searched, the app's first, then blueprints'", () => {
    const app = makeApp();
    app.register_blueprint(new Blueprint("admin", import.meta.url, { root_path: path.join(root, "admin"), template_folder: "templates" }));
    app.test_request_context().run(() => {
      let error: unknown;
      try {
        render_template("nope.ejs");
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TemplateNotFound);
      expect((error as TemplateNotFound).searched).to.deep.equal([path.join(root, "templates"), path.join(root, "admin/templates")]);
      expect((error as Error).message).to.include('"nope.ejs"').and.include(path.join(root, "admin/templates"));
    });
  });

  it("finds blueprint templates after the app's", () => {
    const app = makeApp();
    app.register_blueprint(new Blueprint("admin", import.meta.url, { root_path: path.join(root, "admin"), template_folder: "templates" }));
    app.test_request_context().run(() => expect(render_template("admin/panel.ejs", { who: "me" })).to.equal("<header>Admin</header>me"));
  });

  it("never loads a template outside the folders", () => {
    const app = makeApp();
    app.test_request_context().run(() => {
      for (const name of ["../secret.ejs", path.join(root, "secret.ejs"), "users/../../secret.ejs"]) {
        expect(() => render_template(name), name).to.throw(TemplateNotFound);
      }
    });
  });

  it("is a 500 in a view, as in Flask", async () => {
    const app = makeApp();
    app.logger.setLevel("CRITICAL");
    app.route("/", function index() { return render_template("missing.ejs"); });
    expect((await request(flaskish(app, { propagate_errors: false })).get("/")).status).to.equal(500);
  });
});

describe("template caching and TEMPLATES_AUTO_RELOAD", () => {
  it("compiles once and keeps the cached template when the file changes", () => {
    const app = makeApp();
    write("templates/v.ejs", "one");
    app.test_request_context().run(() => {
      expect(render_template("v.ejs")).to.equal("one");
      write("templates/v.ejs", "two");
      expect(render_template("v.ejs")).to.equal("one");
    });
  });

  for (const [label, configure] of [
    ["TEMPLATES_AUTO_RELOAD", (app: Flask) => { app.config.TEMPLATES_AUTO_RELOAD = true; }],
    ["debug mode", (app: Flask) => { app.debug = true; }],
  ] as const) {
    it(`picks up a changed file on the next render with ${label}`, () => {
      const app = makeApp();
      configure(app);
      write("templates/w.ejs", "one");
      app.test_request_context().run(() => {
        expect(render_template("w.ejs")).to.equal("one");
        write("templates/w.ejs", "two");
        expect(render_template("w.ejs")).to.equal("two");
      });
    });
  }
});

describe("stream_template", () => {
  it("streams the rendered template in the request's context", async () => {
    const app = makeApp();
    app.route("/", function index() {
      g.name = "streamed";
      return stream_template("hello.ejs", { name: g.name });
    });
    const res = await request(flaskish(app)).get("/");
    expect(res.text).to.equal("<p>Hello streamed!</p>");
    expect(res.headers["content-length"]).to.equal(undefined);
  });

  it("fails at once for a missing template", () => {
    const app = makeApp();
    app.test_request_context().run(() => expect(() => stream_template("missing.ejs")).to.throw(TemplateNotFound));
  });
});
