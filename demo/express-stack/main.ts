// Listens on 127.0.0.1:3000: `node --import tsx demo/express-stack/main.ts`.
import { server } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
server.listen(port, "127.0.0.1", () => console.log(`Express stack on http://127.0.0.1:${port}/ (Flask app under /legacy/)`));
