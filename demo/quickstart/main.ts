// Listens: `node --import tsx demo/quickstart/main.ts` (or use the flaskish command).
import { app } from "./app.js";

await app.run({ port: Number(process.env.PORT ?? 5000) });
