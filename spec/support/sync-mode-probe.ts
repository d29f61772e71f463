// Runs in a fresh process (spec/context-sync-mode.spec.ts starts it), where nothing has used
// AsyncLocalStorage yet: requests carry their context in a plain variable until some code
// needs more. Prints one JSON object of observations for the spec to check.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Flask, abort, current_app, flaskish, g, render_template_string, request, session } from "../../lib/index.js";
import { contextUsesAsyncLocalStorage } from "../../lib/context.js";
import { MethodView } from "../../lib/views.js";

const scenario = process.argv[2] ?? "sync-then-async";
const app = new Flask(import.meta.url, { static_folder: null });
app.secret_key = "sync-mode-probe";
const torndown: string[] = [];
if (scenario === "class-view") {
  // An async method of a class-based view, on the first request of the process.
  class ItemAPI extends MethodView {
    async get({ id }: { id: number }): Promise<string> {
      await sleep(2);
      return `${request.path} ${id} ${request.args.get("user")}`;
    }
  }
  app.add_url_rule("/items/<int:id>", {}, ItemAPI.as_view("item"));
}
if (scenario === "async-hook") {
  app.before_request(async () => {
    await sleep(2);
    g.late = `${request.path}:${request.args.get("n")}`;
  });
}
app.before_request(() => {
  g.user = request.args.get("user", "anon");
});
app.after_request((response) => {
  response.headers.set("X-Endpoint", String(request.endpoint));
  return response;
});
app.teardown_request(() => {
  torndown.push(request.path);
});
app.route("/hello", function hello() {
  return `${request.path} ${g.user} ${current_app.name}`;
});
app.route("/form", { methods: ["POST"] }, function form() {
  return `${request.path} ${request.form.get("a")} ${g.user}`;
});
app.route("/nested", function nested() {
  const inner = app.test_request_context("/inner").run(() => request.path);
  let used: string;
  {
    using _ctx = app.test_request_context("/using");
    used = request.path;
  }
  return `${inner} ${used} ${request.path}`;
});
app.route("/template", function template() {
  return render_template_string("<%= url_for('hello', { user: g.user }) %> <%= request.path %>");
});
app.route("/login", function login() {
  session.user = request.args.get("user");
  return "in";
});
app.route("/whoami", function whoami() {
  return `${session.get("user", "nobody")} ${g.late ?? ""}`.trim();
});
app.route("/teapot", function teapot() {
  abort(418);
});
app.errorhandler(418, () => [`handled ${request.path}`, 418]);
app.route("/async", async function slow() {
  await sleep(5);
  return `${request.path} ${g.user}`;
});
app.route("/promise", function promised() {
  return Promise.resolve("from a promise");
});

// Start-up code as Flask apps have it: contexts pushed outside any request.
const startup: string[] = [];
app.app_context().run(() => startup.push(current_app.name));
{
  using _ctx = app.app_context();
  await sleep(1);
  startup.push(`${current_app.name} after an await`);
}

const server = http.createServer(flaskish(app));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function get(path: string, cookie?: string): Promise<{ status: number; body: string; endpoint: string | null; cookie?: string }> {
  const res = await fetch(base + path, cookie === undefined ? {} : { headers: { cookie } });
  const setCookie = res.headers.get("set-cookie");
  return { status: res.status, body: await res.text(), endpoint: res.headers.get("x-endpoint"), ...(setCookie ? { cookie: setCookie.split(";")[0]! } : {}) };
}
async function post(path: string, form: string): Promise<{ status: number; body: string }> {
  const res = await fetch(base + path, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, body: await res.text() };
}
const mixed = () =>
  Promise.all(
    Array.from({ length: 40 }, (_, n) =>
      n % 2 === 0 ? get(`/hello?user=u${n}`).then((r) => r.body === `/hello u${n} sync-mode-probe`) : post(`/form?user=u${n}`, `a=${n}`).then((r) => r.body === `/form ${n} u${n}`),
    ),
  ).then((oks) => oks.every(Boolean));

const seen: Record<string, unknown> = {};
try {
  seen.startsWithout = !contextUsesAsyncLocalStorage();
  seen.startup = startup;
  if (scenario === "sync-then-async") {
    seen.hello = await get("/hello?user=ann");
    seen.form = await post("/form?user=bob", "a=1");
    seen.nested = await get("/nested");
    seen.template = await get("/template?user=cy");
    const login = await get("/login?user=eve");
    seen.session = login.cookie === undefined ? "no cookie" : (await get("/whoami", login.cookie)).body;
    seen.handled = await get("/teapot");
    seen.mixedSync = await mixed();
    seen.stillWithout = !contextUsesAsyncLocalStorage();
    seen.async = await get("/async?user=dee");
    seen.switched = contextUsesAsyncLocalStorage();
    seen.concurrentAsync = await Promise.all(Array.from({ length: 20 }, (_, n) => get(`/async?user=a${n}`).then((r) => r.body === `/async a${n}`))).then((oks) => oks.every(Boolean));
    seen.mixedAfter = await mixed();
  } else if (scenario === "class-view") {
    seen.classView = await get("/items/7?user=zed");
  } else if (scenario === "async-hook") {
    seen.hooked = await Promise.all(Array.from({ length: 20 }, (_, n) => get(`/whoami?n=${n}`).then((r) => r.body === `nobody /whoami:${n}`))).then((oks) => oks.every(Boolean));
    seen.switched = contextUsesAsyncLocalStorage();
  } else {
    seen.promise = await get("/promise");
    seen.switched = contextUsesAsyncLocalStorage();
    seen.hello = await get("/hello?user=ann");
  }
  seen.torndown = torndown.slice(0, 4);
} finally {
  server.close();
}
console.log(JSON.stringify(seen));
