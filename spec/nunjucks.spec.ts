// Jinja-syntax templates through use_nunjucks render the HTML real Flask 3.1 renders: the
// expected pages in spec/fixtures/flask-templates.json came from Flask's test client
// (spec/fixtures/gen/flask_templates.py) over the same files in spec/fixtures/templates/jinja;
// this spec builds the same app in TypeScript, mounted in Express 5 and Express 4.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { abort, Blueprint, Flask, flaskish, g, Markup, session } from "../lib/index.js";
import { flash } from "../lib/flash.js";
import { kwargs, use_nunjucks } from "../lib/nunjucks.js";
import { get_template_attribute, render_template, render_template_string, TemplateNotFound } from "../lib/templating.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

const ROOT = fileURLToPath(new URL("./fixtures/templates/", import.meta.url));
const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-templates.json", import.meta.url), "utf8")) as Record<string, { status: number; content_type: string; body: string }>;

/** The TypeScript twin of the generator's app. */
function buildApp(): Flask {
  const app = new Flask(import.meta.url, { root_path: ROOT, template_folder: "jinja", static_folder: "static" });
  app.secret_key = "fixture";
  app.config.GREETING = "Howdy";
  use_nunjucks(app);
  app.template_filter("shout", (s: string) => `${s.toUpperCase()}!`);
  app.template_test("prime", (n: number) => n > 1 && Array.from({ length: n - 2 }, (_, i) => i + 2).every((d) => n % d !== 0));
  app.template_global("double", (n: number) => 2 * n);
  app.context_processor(() => ({ site_name: "My Webpage", section: "app" }));
  app.route("/", function index() { return "index"; });
  app.route("/user/<username>", function show_user({ username }) { return username; });
  const hello = ({ name }: { name?: string }) => render_template("hello.html", { person: name ?? null });
  app.route("/hello/", { endpoint: "hello" }, hello);
  app.route("/hello/<name>", { endpoint: "hello" }, hello);
  app.route("/page", function page() {
    session.set("user", "jo");
    g.request_id = "req-42";
    flash("Saved <everything>");
    flash(new Markup("<b>Bold</b> move"), "error");
    return render_template("index.html", {
      user: { name: "Jo Doe" },
      query: '<script>alert("x")</script>',
      bio: "<em>bio</em> & more",
      trusted: new Markup("<strong>trusted</strong>"),
      data: { b: [1, 2], a: "</script>", c: "it's & <x>" },
      items: ["one", "two", "three"],
    });
  });
  app.route("/mail", function mail() { return render_template("email.txt", { name: "<b>Bob</b>", code: "A&B" }); });
  app.route("/string", function string() {
    return render_template_string("Hello {{ name }}! {{ markup }} {{ url_for('index') }}", { name: "<i>", markup: new Markup("<b>ok</b>") });
  });
  const admin = new Blueprint("admin", import.meta.url, { root_path: ROOT, template_folder: "jinja_admin", url_prefix: "/admin" });
  admin.context_processor(() => ({ section: "admin" }));
  admin.route("/panel", function panel() { return render_template("admin/panel.html", { user: { name: "Root" } }); });
  app.register_blueprint(admin);
  return app;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`use_nunjucks renders what real Flask renders (${flavour.label})`, () => {
    const server = flavour.create().use(flaskish(buildApp(), { fallthrough: false, propagate_errors: false }));
    for (const [url, expected] of Object.entries(fixture)) {
      it(`GET ${url} (expected HTML from real Flask 3.1)`, async () => {
        const res = await request(server).get(url);
        expect(res.status).to.equal(expected.status);
        expect(res.headers["content-type"]).to.equal(expected.content_type);
        expect(res.text).to.equal(expected.body);
      });
    }
  });
}

describe("use_nunjucks", () => {
  let dir: string;
  let app: Flask;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-nunjucks-"));
    fs.mkdirSync(path.join(dir, "templates"));
    app = new Flask(import.meta.url, { root_path: dir });
    use_nunjucks(app);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, "templates", name), text);

  it("escapes with markupsafe's entities and leaves Markup and |safe alone", () => {
    app.test_request_context().run(() => {
      expect(render_template_string(`{{ a }}|{{ b }}|{{ c|safe }}|{{ d|e }}`, { a: `"'<&>`, b: new Markup("<i>"), c: "<u>", d: "<x>" }))
        .to.equal("&#34;&#39;&lt;&amp;&gt;|<i>|<u>|&lt;x&gt;");
    });
  });

  it("hands Markup to filters and globals and marks their Markup results safe", () => {
    app.template_filter("wrap", (value: unknown) => new Markup("<p>{}</p>").format(value));
    app.test_request_context().run(() => {
      expect(render_template_string(`{{ "<b>"|wrap }}{{ "<b>"|safe|wrap }}`)).to.equal("<p>&lt;b&gt;</p><p><b></p>");
    });
  });

  // Real Flask 3.1: abort(403) from a context processor's function while the template renders answers 403.
  it("lets an HTTP error raised by a function in the template reach the app as itself (abort gives its status)", async () => {
    app.context_processor(() => ({ deny: () => abort(403), fail: () => { throw new RangeError("from the template"); } }));
    app.route("/deny", function deny() { return render_template_string("<p>{{ deny() }}</p>"); });
    expect((await app.test_client().get("/deny")).status_code).to.equal(403);
    app.test_request_context().run(() => {
      // Other errors stay nunjucks' render error (its message names the template), the original as the cause.
      let failure: Error | undefined;
      try {
        render_template_string("{{ fail() }}");
      } catch (error) {
        failure = error as Error;
      }
      expect(failure).to.include({ name: "Template render error" });
      expect(failure!.message).to.contain("(unknown path)").and.to.contain("RangeError: from the template");
      expect(failure!.cause).to.be.instanceOf(RangeError);
    });
  });

  it("turns keyword arguments into a trailing options object", () => {
    app.template_global("describe_args", (...args: unknown[]) => JSON.stringify(args));
    app.test_request_context().run(() => {
      expect(render_template_string(`{{ describe_args(1, two=2) }}`)).to.equal("[1,{&#34;two&#34;:2}]");
    });
  });

  it("understands True, False and None, and prints them as Jinja does (expected from real Flask)", () => {
    app.test_request_context().run(() => {
      expect(render_template_string(`{% if True and not False %}yes{% endif %}{% if x is none %}{% endif %}{{ None is none }}`)).to.equal("yesTrue");
      expect(render_template_string("{{ flag }} {{ nothing }} {{ missing }} {{ 1 == 1 }}", { flag: false, nothing: null })).to.equal("False None  True");
    });
  });

  it("keeps {% with %} names inside the block", () => {
    app.test_request_context().run(() => {
      expect(render_template_string(`{% with a = 1, b = x %}{{ a }}{{ b }}{% endwith %}[{{ a }}]{{ x }}`, { x: "X" })).to.equal("1X[]X");
    });
  });

  it("does not escape .txt templates and drops one trailing newline, as Jinja does", () => {
    write("note.txt", "<{{ v }}>\n\n");
    app.test_request_context().run(() => expect(render_template("note.txt", { v: "&" })).to.equal("<&>\n"));
  });

  it("compiles once and caches; picks up changes with TEMPLATES_AUTO_RELOAD", () => {
    write("page.html", "one");
    app.test_request_context().run(() => {
      expect(render_template("page.html")).to.equal("one");
      write("page.html", "two");
      expect(render_template("page.html")).to.equal("one");
      app.config.TEMPLATES_AUTO_RELOAD = true;
      expect(render_template("page.html")).to.equal("two");
    });
  });

  it("reports a missing include as TemplateNotFound naming the folders", () => {
    write("outer.html", `{% include "nope.html" %}`);
    app.test_request_context().run(() => {
      expect(() => render_template("outer.html")).to.throw(TemplateNotFound, /nope\.html.*Searched: .*templates/);
    });
  });
});

describe("get_template_attribute", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flaskish-gta-"));
  fs.mkdirSync(path.join(root, "templates"));
  fs.writeFileSync(
    path.join(root, "templates", "_cider.html"),
    '{% macro hello(name) %}Hello {{ name }}!{% endmacro %}\n{% macro link(href, text="here") %}<a href="{{ href }}">{{ text }}</a>{% endmacro %}\n{% set answer = 42 %}',
  );
  fs.writeFileSync(path.join(root, "templates", "plain.ejs"), "<%= x %>");

  it("calls a template's macros from code, escaped and returned as Markup (expected from real Flask)", () => {
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    use_nunjucks(app);
    app.app_context().run(() => {
      const hello = get_template_attribute("_cider.html", "hello") as (name: string) => Markup;
      expect(hello("World")).to.be.instanceOf(Markup);
      expect([String(hello("World")), String(hello("<b>"))]).to.deep.equal(["Hello World!", "Hello &lt;b&gt;!"]);
      const link = get_template_attribute("_cider.html", "link") as (href: string, kw?: Record<string, unknown>) => Markup;
      expect([String(link("/x?a=1&b=2")), String(link("/y", kwargs({ text: "there" })))]).to.deep.equal(['<a href="/x?a=1&amp;b=2">here</a>', '<a href="/y">there</a>']);
      expect(get_template_attribute("_cider.html", "answer")).to.equal(42);
    });
  });

  it("escapes by the template's name, passes a plain object as an argument, and sees globals, not context processors (expected from real Flask)", () => {
    fs.writeFileSync(path.join(root, "templates", "m.txt"), "{% macro show(x) %}[{{ x.name if x.name else x }}]{% endmacro %}{% macro who() %}{{ 'yes' if extra is defined else 'no' }}{% endmacro %}");
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    use_nunjucks(app);
    let processed = 0;
    app.context_processor(() => ({ extra: ++processed }));
    app.app_context().run(() => {
      const show = get_template_attribute("m.txt", "show") as (x: unknown) => Markup;
      expect(String(show("<b>"))).to.equal("[<b>]");
      expect(String(show({ name: "ann" }))).to.equal("[ann]");
      expect(String((get_template_attribute("m.txt", "who") as () => Markup)())).to.equal("no");
    });
    expect(processed).to.equal(0);
  });

  it("prints True, False and None as Jinja in plain-text templates too, unescaped (expected from real Flask)", () => {
    fs.writeFileSync(path.join(root, "templates", "flags.txt"), "{{ flag }} {{ nothing }} {{ missing }} <b>{{ tag }}");
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    use_nunjucks(app);
    app.test_request_context().run(() => {
      expect(render_template("flags.txt", { flag: true, nothing: null, tag: "<i>" })).to.equal("True None  <b><i>");
    });
  });

  it("says what to do for a name the template lacks, or a template engine without macros", () => {
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    app.app_context().run(() => {
      expect(() => get_template_attribute("plain.ejs", "x")).to.throw(/call use_nunjucks\(app\)/);
    });
    use_nunjucks(app);
    app.app_context().run(() => {
      expect(() => get_template_attribute("_cider.html", "bye")).to.throw(/defines no 'bye' \(it exports 'hello', 'link', 'answer'\)/);
    });
  });
});
