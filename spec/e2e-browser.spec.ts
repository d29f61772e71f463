// End to end in a real browser: Debian's chromium, driven by playwright-core, walks the
// Quickstart demo as a person would. Screenshots of each step go to spec/.screenshots/
// (git-ignored). When the browser cannot start this fails: .ci/run installs chromium.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { flaskish } from "../lib/index.js";
import { app } from "../demo/quickstart/app.js";

const SHOTS = new URL("./.screenshots/", import.meta.url).pathname;
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

describe("the Quickstart demo in a real browser (chromium)", function () {
  this.timeout(60_000);
  let server: http.Server;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let step = 0;

  async function shot(name: string): Promise<void> {
    step += 1;
    await page.screenshot({ path: path.join(SHOTS, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const handler = flaskish(app);
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(path.join(os.tmpdir(), "flaskish-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("logs in through the form and sees the flashed message rendered by the layout", async () => {
    await page.goto(`${base}/`);
    expect(await page.textContent("#who")).to.equal("You are not logged in");
    await shot("home-anonymous");
    await page.click("#login");
    await page.fill("#username", "alice");
    await page.fill("#password", "wrong");
    await page.click("#submit");
    expect(await page.textContent("#error")).to.contain("Invalid username/password");
    await shot("login-error");
    await page.fill("#username", "alice");
    await page.fill("#password", "secret");
    await page.click("#submit");
    expect(new URL(page.url()).pathname).to.equal("/");
    expect(await page.textContent(".flashes li")).to.equal("You were successfully logged in");
    expect(await page.textContent("#who")).to.equal("Logged in as alice");
    await shot("logged-in");
  });

  it("uploads a file through the upload form", async () => {
    await page.goto(`${base}/upload`);
    const file = path.join(profile, "notes from alice.txt");
    writeFileSync(file, "hello from the browser\n");
    await page.setInputFiles("#the_file", file);
    await page.click("#upload");
    expect(new URL(page.url()).pathname).to.equal("/upload");
    expect(await page.textContent(".flashes li")).to.equal("Uploaded notes_from_alice.txt (23 bytes)");
    expect(await page.textContent("#uploaded")).to.contain("notes_from_alice.txt");
    await shot("uploaded");
  });

  it("follows a redirect", async () => {
    await page.goto(`${base}/`);
    await page.click("text=A redirect");
    expect(new URL(page.url()).pathname).to.equal("/");
    const projects = await page.goto(`${base}/projects`);
    expect(new URL(page.url()).pathname).to.equal("/projects/");
    expect(projects?.status()).to.equal(200);
    await shot("redirected");
  });

  it("sees the custom 404 page", async () => {
    const res = await page.goto(`${base}/nowhere`);
    expect(res?.status()).to.equal(404);
    expect(await page.textContent("#not-found")).to.equal("Nothing here");
    const color = await page.$eval("nav a", (a) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(a).color);
    expect(color, "the stylesheet from /static was applied").to.equal("rgb(0, 187, 85)");
    await shot("not-found");
  });

  it("logs out", async () => {
    await page.goto(`${base}/`);
    await page.click("#logout");
    expect(await page.textContent(".flashes li.info")).to.equal("You were logged out");
    expect(await page.textContent("#who")).to.equal("You are not logged in");
    await shot("logged-out");
  });
});
