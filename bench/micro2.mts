// In-process cost of the whole middleware, including writing to a stub `res`.
import { Flask, flaskish } from "../lib/index.js";
const app = new Flask(import.meta.url, { static_folder: null });
app.route("/post/<int:post_id>", function show_post({ post_id }) { return `Post ${post_id}`; });
const mw = flaskish(app);
const req = { url: "/post/42", method: "GET", headers: { host: "localhost" }, socket: { remoteAddress: "127.0.0.1" }, rawHeaders: [] } as any;
const res = { writeHead() {}, end() {}, once() {}, appendHeader() {} } as any;
for (let round = 0; round < 4; round++) {
  const n = 200000;
  const t = performance.now();
  for (let i = 0; i < n; i++) mw(req, res);
  console.log("middleware", ((performance.now() - t) * 1000 / n).toFixed(2), "µs/request");
}
