// The quickstart's first app: `npx flaskish --app demo/hello run`, then open http://127.0.0.1:5000/.
import { Flask } from "../lib/index.js";

export const app = new Flask(import.meta.url);

app.route("/", function hello_world() {
  return "<p>Hello, World!</p>";
});
