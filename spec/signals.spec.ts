// Signals: blinker's Signal and Namespace, and Flask's signals sent by the request pipeline,
// app contexts, templates and flash(), in the order and with the values real Flask 3.1 sent
// for the same app (spec/fixtures/flask-signals.json, made by spec/fixtures/gen/flask_signals.py).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import request from "supertest";
import {
  ANY, Flask, Namespace, Signal, flash, flaskish, render_template, render_template_string, type Receiver, type Response,
  appcontext_popped, appcontext_pushed, appcontext_tearing_down, before_render_template, got_request_exception, message_flashed,
  request_finished, request_started, request_tearing_down, template_rendered,
} from "../lib/index.js";
import { pipelineReceivers } from "../lib/signals.js";

type Event = [string, Record<string, unknown>];
const fixture = JSON.parse(readFileSync(new URL("./fixtures/flask-signals.json", import.meta.url), "utf8")) as Record<string, Event[]>;

const SIGNALS = {
  request_started, request_finished, request_tearing_down, got_request_exception, appcontext_tearing_down,
  appcontext_pushed, appcontext_popped, template_rendered, before_render_template, message_flashed,
};

function signalApp(events: Event[]): { app: Flask; disconnect: () => void } {
  const app = new Flask(import.meta.url, { static_folder: null });
  app.secret_key = "s";
  app.logger.setLevel("CRITICAL"); // /boom logs on purpose
  const connected: [Signal<any>, Receiver<any>][] = [];
  for (const [name, signal] of Object.entries(SIGNALS)) {
    const record: Receiver<any> = (sender, kwargs: Record<string, any>) => {
      expect(sender).to.equal(app);
      const detail: Record<string, unknown> = {};
      if ("response" in kwargs) detail.status = (kwargs.response as Response).status_code;
      if ("exception" in kwargs) detail.exception = (kwargs.exception as Error).message;
      if ("exc" in kwargs) detail.exc = kwargs.exc === null ? null : (kwargs.exc as Error).message;
      if ("template" in kwargs) {
        detail.template = kwargs.template.name;
        detail.name = kwargs.context.name;
      }
      if ("message" in kwargs) {
        detail.message = kwargs.message;
        detail.category = kwargs.category;
      }
      events.push([name, detail]);
    };
    (signal as Signal<any>).connect(record, app);
    connected.push([signal, record]);
  }
  app.before_request(() => void events.push(["before_request", {}]));
  app.after_request((response) => {
    events.push(["after_request", {}]);
    return response;
  });
  app.teardown_request(() => void events.push(["teardown_request", {}]));
  app.route("/ok", function ok() {
    flash("hello", "info");
    return render_template_string("<p><%= name %></p>", { name: "ann" });
  });
  app.route("/boom", function boom() {
    throw new Error("kaboom");
  });
  return { app, disconnect: () => connected.forEach(([signal, receiver]) => (signal as Signal<any>).disconnect(receiver, app)) };
}

describe("Flask's signals (order and values from real Flask 3.1)", () => {
  for (const path of ["/ok", "/boom", "/missing"]) {
    it(`GET ${path} sends ${fixture[path]!.filter(([n]) => !n.includes("_request")).map(([n]) => n).join(", ")} (expected from real Flask)`, async () => {
      const events: Event[] = [];
      const { app, disconnect } = signalApp(events);
      try {
        await app.test_client().get(path);
        expect(events).to.deep.equal(fixture[path]);
      } finally {
        disconnect();
      }
    });
  }

  it("sends appcontext_pushed, appcontext_tearing_down and appcontext_popped around app.app_context() (expected from real Flask)", () => {
    const events: Event[] = [];
    const { app, disconnect } = signalApp(events);
    try {
      app.app_context().run(() => void events.push(["inside", {}]));
      expect(events).to.deep.equal(fixture.app_context);
    } finally {
      disconnect();
    }
  });

  it("sends them for a mounted app too, and only for the sender they were connected to", async () => {
    const seen: string[] = [];
    const { app, disconnect } = signalApp([]);
    const other = new Flask(import.meta.url, { static_folder: null });
    other.route("/other", function o() { return "o"; });
    const receiver = (sender: Flask) => void seen.push(sender === app ? "app" : "other");
    using _ = request_finished.connected_to(receiver, app);
    const server = (await import("express")).default().use(flaskish(other)).use(flaskish(app));
    try {
      await request(server).get("/other");
      await request(server).get("/ok");
    } finally {
      disconnect();
    }
    expect(seen).to.deep.equal(["app"]);
  });

  it("awaits an async receiver before the request goes on, as Flask runs async receivers to completion", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    const order: string[] = [];
    app.route("/", function index() {
      order.push("view");
      return "ok";
    });
    await request_started
      .connected_to(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push("receiver done");
      }, app)
      .run(() => app.test_client().get("/"));
    expect(order).to.deep.equal(["receiver done", "view"]);
  });

  it("sends appcontext_pushed and appcontext_popped once for a pushed test context that app.handle() runs", async () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.route("/", function index() { return "ok"; });
    const names: string[] = [];
    using _pushed = appcontext_pushed.connected_to(() => void names.push("pushed"), app);
    using _popped = appcontext_popped.connected_to(() => void names.push("popped"), app);
    const ctx = app.test_request_context("/");
    await app.handle(ctx);
    ctx.pop();
    expect(names).to.deep.equal(["pushed", "popped"]);
  });

  it("keeps requests on the plain pipeline when no receiver of a request signal is connected", () => {
    expect(pipelineReceivers.count).to.equal(0);
    const receiver = () => undefined;
    request_started.connect(receiver);
    request_started.connect(receiver, "other sender"); // one receiver, counted once
    expect(pipelineReceivers.count).to.equal(1);
    request_started.disconnect(receiver);
    expect(pipelineReceivers.count).to.equal(0);
  });
});

describe("Signal and Namespace (blinker's)", () => {
  it("calls receivers for their sender or any sender, in connection order, returning their results", () => {
    const ns = new Namespace();
    const saved = ns.signal<{ id: number }>("model-saved");
    expect(ns.signal("model-saved")).to.equal(saved);
    const a = saved.connect((_sender, { id }) => `a${id}`);
    const b = saved.connect_via("app1")((_sender, { id }) => `b${id}`);
    expect(saved.send("app1", { id: 1 }).map(([, v]) => v)).to.deep.equal(["a1", "b1"]);
    expect(saved.send("app2", { id: 2 }).map(([, v]) => v)).to.deep.equal(["a2"]);
    expect(saved.has_receivers_for("app2")).to.equal(true);
    saved.disconnect(a);
    expect(saved.has_receivers_for("app2")).to.equal(false);
    saved.disconnect(b, "app1");
    expect(saved.receivers.size).to.equal(0);
    expect(ANY).to.be.a("symbol");
  });

  it("disconnects a receiver connected_to once the block ends, even when it throws", () => {
    const signal = new Namespace().signal("x");
    const receiver = () => undefined;
    expect(() => signal.connected_to(receiver).run(() => { throw new Error("inside"); })).to.throw("inside");
    expect(signal.receivers.size).to.equal(0);
    {
      using _ = signal.connected_to(receiver);
      expect(signal.receivers.size).to.equal(1);
    }
    expect(signal.receivers.size).to.equal(0);
  });

  it("refuses a receiver that is not a function, naming the signal", () => {
    expect(() => new Namespace().signal("named").connect("nope" as never)).to.throw(/named\.connect\(\): the receiver must be a function/);
  });
});

describe("template signals with a template file (Flask's captured_templates recipe)", () => {
  it("gives the rendered template's name and context, for the first of a list that exists", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const root = mkdtempSync(path.join(os.tmpdir(), "flaskish-signals-"));
    mkdirSync(path.join(root, "templates"));
    writeFileSync(path.join(root, "templates", "index.html"), "<p><%= title %></p>");
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    app.config.PROPAGATE_EXCEPTIONS = true;
    app.route("/", function index() {
      return render_template(["missing.html", "index.html"], { title: "Home" });
    });
    const captured: [string | null, unknown][] = [];
    const res = await template_rendered
      .connected_to((_sender, { template, context }) => void captured.push([template.name, context.title]), app)
      .run(() => app.test_client().get("/"));
    expect(res.text).to.equal("<p>Home</p>");
    expect(captured).to.deep.equal([["index.html", "Home"]]);
  });
});
