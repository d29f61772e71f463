// Class-based views (lib/views.ts): the views of spec/fixtures/gen/flask_views.py built again,
// whose answers (status, Allow, body) and route methods are what real Flask 3.1 gave
// (spec/fixtures/flask-views.json).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Flask, request } from "../lib/index.js";
import { MethodView, View } from "../lib/views.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/flask-views.json", import.meta.url), "utf8")) as {
  requests: { method: string; path: string; status: number; allow: string | null; body: string | null }[];
  meta: { item_methods: string[]; patchable_methods: string[]; list_methods: string[]; counter_methods: null; names: string[] };
};
const sorted = (allow: string | null | undefined): string | null => (allow ? allow.split(", ").sort().join(", ") : null);

class ListView extends View {
  static override methods = ["GET", "POST"];
  static override init_every_request = false;
  calls = 0;
  constructor(readonly template: string) {
    super();
  }
  dispatch_request(): string {
    this.calls += 1;
    return `${this.template} ${request.method} call ${this.calls}`;
  }
}

const shout = (view: (args: Record<string, any>) => unknown) => (args: Record<string, any>) => {
  const rv = view(args);
  return Array.isArray(rv) ? [String(rv[0]).toUpperCase(), ...rv.slice(1)] : String(rv).toUpperCase();
};

class ItemAPI extends MethodView {
  static override decorators = [shout];
  instances = 1;
  constructor(readonly model: string) {
    super();
  }
  get({ id }: { id: number }): string {
    return `get ${this.model} ${id} instance ${this.instances}`;
  }
  delete({ id }: { id: number }): [string, number] {
    return [`deleted ${this.model} ${id}`, 204];
  }
}

class ItemWithPatch extends ItemAPI {
  patch({ id }: { id: number }): string {
    return `patched ${id}`;
  }
}

class Counter extends View {
  n = 0;
  dispatch_request(): string {
    this.n += 1;
    return `n=${this.n}`;
  }
}

function viewsApp(): Flask {
  const app = new Flask(import.meta.url, { static_folder: null });
  app.add_url_rule("/list", {}, ListView.as_view("list", "tmpl"));
  app.add_url_rule("/items/<int:id>", {}, ItemAPI.as_view("item", "user"));
  app.add_url_rule("/patchable/<int:id>", {}, ItemWithPatch.as_view("patchable", "thing"));
  app.add_url_rule("/counter", {}, Counter.as_view("counter"));
  return app;
}

describe("class-based views (answers from real Flask 3.1)", () => {
  // One app for the whole table: ListView keeps one instance across requests, as in Flask.
  const app = viewsApp();
  for (const c of fixture.requests) {
    it(`${c.method} ${c.path} -> ${c.status} (expected from real Flask)`, async () => {
      const res = await app.test_client().open(c.path, { method: c.method });
      expect(res.status_code).to.equal(c.status);
      expect(sorted(res.headers.get("Allow"))).to.equal(sorted(c.allow));
      if (c.body !== null) expect(res.text).to.equal(c.body);
    });
  }

  it("gives as_view()'s function the endpoint name and the class's methods (expected from real Flask)", () => {
    const views = viewsApp().view_functions;
    const methods = (name: string) => (views.get(name) as { methods?: readonly string[] }).methods;
    expect([...methods("item")!].sort()).to.deep.equal(fixture.meta.item_methods);
    expect([...methods("patchable")!].sort()).to.deep.equal(fixture.meta.patchable_methods);
    expect([...methods("list")!].sort()).to.deep.equal(fixture.meta.list_methods);
    expect(methods("counter") ?? null).to.equal(fixture.meta.counter_methods);
    expect(["list", "item", "counter"].map((n) => views.get(n)!.name)).to.deep.equal(fixture.meta.names);
    expect((views.get("item") as { view_class?: unknown }).view_class).to.equal(ItemAPI);
  });

  it("awaits an async method, and says which method is missing when a route lets one through", async () => {
    class Slow extends MethodView {
      async get(): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return "slow";
      }
    }
    const app = new Flask(import.meta.url, { static_folder: null });
    app.config.PROPAGATE_EXCEPTIONS = true;
    app.add_url_rule("/slow", {}, Slow.as_view("slow"));
    app.add_url_rule("/forced", { methods: ["GET", "PUT"] }, Slow.as_view("forced"));
    expect((await app.test_client().get("/slow")).text).to.equal("slow");
    let error: unknown;
    try {
      await app.test_client().put("/forced");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError).with.property("message").that.matches(/Slow has no put\(\) method for a PUT request: add one, or leave PUT out of its methods\./);
  });
});

describe("MethodView methods", () => {
  it("merges a base class's explicit methods with the methods a subclass has functions for (expected from real Flask)", () => {
    class Base extends MethodView {
      static override methods = ["GET", "POST"];
      get(): string {
        return "g";
      }
    }
    class Sub extends Base {
      patch(): string {
        return "p";
      }
    }
    const methods = (view: { methods: readonly string[] | undefined }) => [...(view.methods ?? [])].sort();
    expect(methods(Sub.as_view("sub"))).to.deep.equal(["GET", "PATCH", "POST"]);
    expect(methods(Base.as_view("base"))).to.deep.equal(["GET", "POST"]);
  });
});
