// Acceptance: demo/quickstart, section by section over HTTP, so the demo never rots.
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { flaskish } from "../lib/index.js";
import { UPLOAD_FOLDER, app } from "../demo/quickstart/app.js";

const server = flaskish(app) as unknown as Parameters<typeof request>[0];

describe("demo/quickstart", () => {
  before(() => app.logger.setLevel("ERROR"));

  it("A Minimal Application: the home page", async () => {
    const res = await request(server).get("/");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("You are not logged in").and.to.contain('href="/static/style.css"');
  });

  it("HTML Escaping", async () => {
    const res = await request(server).get("/hello-escape/%3Cscript%3Ealert(%22bad%22)");
    expect(res.text).to.equal("Hello, &lt;script&gt;alert(&#34;bad&#34;)!");
  });

  it("Variable Rules with every converter", async () => {
    expect((await request(server).get("/user/John%20Doe")).text).to.equal("User John Doe");
    expect((await request(server).get("/post/42")).text).to.equal("Post 42 (a number)");
    expect((await request(server).get("/post/x")).status).to.equal(404);
    expect((await request(server).get("/path/a/b/c")).text).to.equal("Subpath a/b/c");
    expect((await request(server).get("/price/3.5")).text).to.equal("Price 3.50");
    expect((await request(server).get("/item/0a8c7fd0-2f4b-4bbf-9d1e-6b8b1c3d2e4f")).text).to.equal("Item 0a8c7fd0-2f4b-4bbf-9d1e-6b8b1c3d2e4f");
    expect((await request(server).get("/page/help")).text).to.equal("Page help");
    expect((await request(server).get("/page/other")).status).to.equal(404);
  });

  it("Unique URLs / Redirection Behavior", async () => {
    const res = await request(server).get("/projects").set("Host", "localhost");
    expect(res.status).to.equal(308);
    expect(res.headers.location).to.equal("http://localhost/projects/");
    expect((await request(server).get("/about/")).status).to.equal(404);
  });

  it("URL Building", async () => {
    const res = await request(server).get("/urls");
    expect(res.body).to.deep.equal({ index: "/", login: "/login", login_next: "/login?next=/", profile: "/user/John%20Doe", style: "/static/style.css" });
  });

  it("HTTP Methods: HEAD, OPTIONS and 405", async () => {
    expect((await request(server).options("/login")).headers.allow!.split(", ").sort()).to.deep.equal(["GET", "HEAD", "OPTIONS", "POST"]);
    expect((await request(server).delete("/login")).status).to.equal(405);
    const head = await request(server).head("/about");
    expect(head.status).to.equal(200);
    expect(head.headers["content-length"]).to.equal("14");
  });

  it("Static Files", async () => {
    const res = await request(server).get("/static/style.css");
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.equal("text/css; charset=utf-8");
  });

  it("Rendering Templates: Jinja through nunjucks and ejs, escaped", async () => {
    expect((await request(server).get("/hello/")).text).to.contain("<h1>Hello, World!</h1>");
    expect((await request(server).get("/hello/%3Cb%3E")).text).to.contain("<h1>Hello &lt;b&gt;!</h1>");
    const ejs = await request(server).get("/hello-ejs/%3Cb%3E");
    expect(ejs.text).to.contain("<h1>Hello &lt;b&gt;!</h1>").and.to.contain("<p><em>trusted</em> markup</p>");
  });

  it("Accessing Request Data, Sessions and Message Flashing: login flow", async () => {
    const agent = request.agent(server);
    expect((await agent.post("/login").type("form").send({ username: "alice", password: "nope" })).text).to.contain("Invalid username/password");
    const missing = await agent.post("/login").type("form").send({ username: "alice" });
    expect(missing.status, "a missing form key is a 400").to.equal(400);
    const ok = await agent.post("/login").type("form").send({ username: "alice", password: "secret" });
    expect(ok.status).to.equal(302);
    expect(ok.headers.location).to.equal("/");
    const home = await agent.get("/");
    expect(home.text).to.contain("You were successfully logged in").and.to.contain("Logged in as alice");
    expect((await agent.get("/")).text).not.to.contain("successfully logged in");
    await agent.get("/logout");
    expect((await agent.get("/")).text).to.contain("You were logged out").and.to.contain("You are not logged in");
    expect((await request(server).get("/search?key=%3Cx%3E")).text).to.equal("<p>You searched for &lt;x&gt;</p>");
  });

  it("File Uploads", async () => {
    const agent = request.agent(server);
    const res = await agent.post("/upload").attach("the_file", Buffer.from("uploaded bytes"), "../../evil name.txt");
    expect(res.status).to.equal(302);
    expect(fs.readFileSync(path.join(UPLOAD_FOLDER, "evil_name.txt"), "utf8")).to.equal("uploaded bytes");
    expect((await agent.get("/upload")).text).to.contain("Uploaded evil_name.txt (14 bytes)");
  });

  it("Cookies", async () => {
    const res = await request(server).get("/cookies").set("Cookie", "username=alice");
    expect(res.text).to.equal("Your cookie says: alice");
    expect(res.headers["set-cookie"]).to.deep.equal(['username="the username"; Path=/']);
  });

  it("Redirects and Errors, with a custom 404 page", async () => {
    expect((await request(server).get("/go-home")).headers.location).to.equal("/");
    expect((await request(server).get("/secret")).status).to.equal(401);
    const missing = await request(server).get("/nowhere");
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain("Nothing here").and.to.contain("/nowhere");
  });

  it("About Responses", async () => {
    const tuple = await request(server).get("/responses/tuple");
    expect(tuple.status).to.equal(201);
    expect(tuple.headers["x-demo"]).to.equal("tuple");
    const custom = await request(server).get("/responses/custom");
    expect(custom.status).to.equal(404);
    expect(custom.headers["x-something"]).to.equal("A value");
    expect((await request(server).get("/responses/stream")).text).to.equal("streamed in parts");
  });

  it("APIs with JSON", async () => {
    expect((await request(server).get("/me")).body).to.deep.equal({ image: "/images/alice.png", theme: "dark", username: "alice" });
    expect((await request(server).get("/users")).body).to.deep.equal([{ username: "alice" }, { username: "bob" }]);
  });

  it("Hooking in WSGI middleware: ProxyFix applies the trusted X-Forwarded-* headers", async () => {
    const res = await request(server).get("/whoami")
      .set("X-Forwarded-For", "203.0.113.7").set("X-Forwarded-Proto", "https").set("X-Forwarded-Host", "example.org");
    expect(res.body).to.deep.equal({ remote_addr: "203.0.113.7", scheme: "https", host: "example.org", url: "https://example.org/whoami" });
  });

  it("Hooking in middleware: before/after request hooks add Server-Timing", async () => {
    expect((await request(server).get("/about")).headers["server-timing"]).to.match(/^app;dur=[\d.]+$/);
  });
});
