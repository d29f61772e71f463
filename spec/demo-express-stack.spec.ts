// Acceptance: demo/express-stack, driven over HTTP, so the demo never rots. Fall-through,
// shared express-session, url_for under the mount prefix, errors to the host's middleware.
import { expect } from "chai";
import request from "supertest";
import { server } from "../demo/express-stack/app.js";

describe("demo/express-stack", () => {
  it("serves the host's own routes", async () => {
    expect((await request(server).get("/")).text).to.contain("The Express app");
  });

  it("builds URLs under the /legacy prefix", async () => {
    const res = await request(server).get("/legacy/where").set("Host", "example.com");
    expect(res.body).to.deep.equal({ index: "/legacy/", external: "http://example.com/legacy/", script_root: "/legacy" });
  });

  it("shares the host's express-session: a Flask login is visible to an Express route", async () => {
    const agent = request.agent(server);
    const login = await agent.get("/legacy/login?user=alice");
    expect(login.status).to.equal(302);
    expect(login.headers.location).to.equal("/legacy/");
    const home = await agent.get("/legacy/");
    expect(home.text).to.contain("<li>Welcome, alice</li>").and.to.contain("user: alice");
    expect((await agent.get("/whoami")).body).to.deep.equal({ user: "alice" });
    const again = await agent.get("/legacy/");
    expect(again.text, "flashed messages are consumed once").not.to.contain("Welcome");
  });

  it("falls through to later Express routes and the host's 404", async () => {
    expect((await request(server).get("/legacy/express-only")).text).to.equal("answered by Express after flaskish fell through");
    const missing = await request(server).get("/legacy/nothing-here");
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal("Express 404");
  });

  it("hands unhandled errors to the host's error middleware", async () => {
    const res = await request(server).get("/legacy/boom");
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ error: "legacy code failed", handled_by: "express error middleware" });
  });
});
