#!/usr/bin/env node
// The flaskish command. Plain JavaScript so it runs with no build step: it registers the tsx
// loader, so the user's TypeScript app (and flaskish's own sources, in a checkout) import
// directly, then hands the command line to lib/cli/main (dist/cli/main.js once built).

import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();

const built = new URL("../dist/cli/main.js", import.meta.url);
const source = new URL("../lib/cli/main.ts", import.meta.url);
const { main } = await import(existsSync(source) ? source.href : built.href);

const result = await main(process.argv.slice(2));
if (result !== "serving") process.exitCode = result;
