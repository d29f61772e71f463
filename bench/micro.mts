import { Flask } from "../lib/index.js";
import { environFrom } from "../lib/express-adapter.js";
const app = new Flask(import.meta.url, { static_folder: null });
app.route("/post/<int:post_id>", function show_post({ post_id }) { return `Post ${post_id}`; });
for (let i = 0; i < 1000; i++) app.route(`/r${i}/<int:id>`, { endpoint: `r${i}` }, ({ id }) => `r${i} ${id}`);
const fakeReq = (url: string) => ({ url, method: "GET", headers: { host: "localhost" }, socket: { remoteAddress: "127.0.0.1" }, rawHeaders: [] }) as any;
const opts = { fallthrough: false, propagate: false };
for (const url of ["/post/42", "/r999/42"]) {
  for (let round = 0; round < 3; round++) {
    const n = 100000;
    const t = performance.now();
    for (let i = 0; i < n; i++) { const r = app.wsgi_app(environFrom(fakeReq(url)), opts); if (r instanceof Promise) await r; }
    console.log(url, ((performance.now() - t) * 1000 / n).toFixed(2), "µs/request");
  }
}
const t2 = performance.now();
for (let i = 0; i < 100000; i++) app.url_map.match("/r999/42", "GET");
console.log("match only", ((performance.now() - t2) * 1000 / 100000).toFixed(2), "µs");
