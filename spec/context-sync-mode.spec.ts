// Requests carry their context in a plain variable until some code needs AsyncLocalStorage
// (lib/context.ts): the probe runs in a fresh process, where nothing has used it yet, and
// reports what views, hooks, nested contexts and templates saw before and after the switch.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const probe = fileURLToPath(new URL("./support/sync-mode-probe.ts", import.meta.url));

async function runProbe(scenario: string): Promise<Record<string, any>> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", probe, scenario], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describe("context locals before AsyncLocalStorage is needed (fresh process)", function () {
  this.timeout(60_000);
  let seen: Record<string, any>;
  let promised: Record<string, any>;
  let hooked: Record<string, any>;
  let classView: Record<string, any>;
  before(async () => {
    [seen, promised, hooked, classView] = await Promise.all([runProbe("sync-then-async"), runProbe("promise"), runProbe("async-hook"), runProbe("class-view")]);
  });

  it("gives an async method of a class-based view its request after an await, on the first request", () => {
    expect(classView.startsWithout).to.equal(true);
    expect(classView.classView).to.deep.include({ status: 200, body: "/items/7 7 zed" });
  });

  it("starts without AsyncLocalStorage", () => {
    expect(seen.startsWithout).to.equal(true);
    expect(promised.startsWithout).to.equal(true);
  });

  it("keeps app contexts pushed at start-up working across awaits, and requests without AsyncLocalStorage after them", () => {
    expect(seen.startup).to.deep.equal(["sync-mode-probe", "sync-mode-probe after an await"]);
    expect(seen.startsWithout).to.equal(true);
  });

  it("gives synchronous views and hooks their request, g and current_app", () => {
    expect(seen.hello).to.deep.equal({ status: 200, body: "/hello ann sync-mode-probe", endpoint: "hello" });
  });

  it("keeps the context across the asynchronous body read before a synchronous view", () => {
    expect(seen.form).to.deep.equal({ status: 200, body: "/form 1 bob" });
  });

  it("lets a view run and push nested contexts, whose teardown sees them, as Flask's does", () => {
    expect(seen.nested.body).to.equal("/inner /using /nested");
    expect(seen.torndown).to.deep.equal(["/hello", "/form", "/inner", "/using"]);
  });

  it("renders templates that call url_for and read request", () => {
    expect(seen.template.body).to.equal("/hello?user=cy /template");
  });

  it("opens and saves the signed-cookie session, and runs error handlers", () => {
    expect(seen.session).to.equal("eve");
    expect(seen.handled).to.deep.include({ status: 418, body: "handled /teapot" });
  });

  it("keeps 40 concurrent requests (half with bodies read asynchronously) apart", () => {
    expect(seen.mixedSync).to.equal(true);
    expect(seen.stillWithout).to.equal(true);
  });

  it("switches to AsyncLocalStorage for an async view, which sees its context after awaits", () => {
    expect(seen.async).to.deep.equal({ status: 200, body: "/async dee", endpoint: "slow" });
    expect(seen.switched).to.equal(true);
    expect(seen.concurrentAsync).to.equal(true);
    expect(seen.mixedAfter).to.equal(true);
  });

  it("runs an async before_request hook of the first request inside AsyncLocalStorage (20 at once, each its own)", () => {
    expect(hooked.startsWithout).to.equal(true);
    expect(hooked.hooked).to.equal(true);
    expect(hooked.switched).to.equal(true);
  });

  it("switches when a plain function returns a promise, and keeps serving", () => {
    expect(promised.promise).to.deep.equal({ status: 200, body: "from a promise", endpoint: "promised" });
    expect(promised.switched).to.equal(true);
    expect(promised.hello.body).to.equal("/hello ann sync-mode-probe");
  });
});
