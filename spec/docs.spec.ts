// The documentation's TypeScript samples are type-checked against the library, so they cannot
// drift: every ```ts block in README.md and docs/*.md becomes a module compiled by tsc with
// "flaskish" mapped to lib/.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, ".tmp", "docs-check");

function samples(): { file: string; index: number; code: string }[] {
  const files = ["README.md", ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const out: { file: string; index: number; code: string }[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    let index = 0;
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ file, index: index++, code: match[1]! });
  }
  return out;
}

describe("documentation samples", function () {
  this.timeout(120_000);

  it("every ```ts block in README.md and docs/ type-checks against lib/", () => {
    const blocks = samples();
    expect(blocks.length, "the docs have TypeScript samples").to.be.at.least(10);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const names: string[] = [];
    for (const { file, index, code } of blocks) {
      const name = `${file.replace(/[/.]/g, "_")}_${index}.ts`;
      names.push(name);
      // Each sample is its own module; `export {}` keeps top-level names from clashing.
      writeFileSync(path.join(outDir, name), `${code}\nexport {};\n`);
    }
    writeFileSync(
      path.join(outDir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.json",
        compilerOptions: {
          noEmit: true,
          rootDir: "../..",
          noUnusedLocals: false,
          paths: { flaskish: ["../../lib/index.ts"], "flaskish/*": ["../../lib/*.ts"] },
          allowImportingTsExtensions: true,
        },
        include: names,
      }),
    );
    let output = "";
    try {
      execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", path.join(outDir, "tsconfig.json")], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output, `doc samples fail to type-check:\n${output}`).to.equal("");
  });
});
