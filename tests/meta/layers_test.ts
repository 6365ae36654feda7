/**
 * The shape of the code: every import in `lib/` runs downward between the
 * layers `lib/mod.ts` lists (or stays inside its folder), and no file in
 * `lib/` or `tests/` is longer than 350 lines.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

/**
 * Each top-level entry of `lib/` and its layer, lowest first (as `lib/mod.ts`
 * documents); a file beside a folder of the same name (`lib/backend.ts`) is
 * that folder's front door and belongs to it.
 */
export const LAYERS: Record<string, number> = {
  "util": 0,
  "tf": 0,
  "backend": 1,
  "data": 1,
  "nn": 2,
  "plots": 2,
  "report": 2,
  "models": 3,
  "analysis": 3,
  "train": 4,
  "eval": 5,
  "runs": 6,
  "experiments": 7,
  "bench": 7,
  "web": 7,
  "cli": 8,
  "mod": 9,
};

const LIB = join(PROJECT_ROOT, "lib");

function* files(dir: string, ext = ".ts"): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* files(p, ext);
    else if (e.name.endsWith(ext)) yield p;
  }
}

/** The relative imports of a module's source (import and export statements; comments skipped). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/g)].map((m) =>
    m[1]
  )
    .concat([...code.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)].map((m) => m[1]));
}

/** The top-level entry of `lib/` a file belongs to (`runs` for `lib/runs/record.ts`). */
const entryOf = (path: string) => relative(LIB, path).split("/")[0].replace(/\.ts$/, "");

/** Imports that run upward or sideways between layers, as `from → to` lines. */
export function layerViolations(): string[] {
  const bad: string[] = [];
  for (const f of files(LIB)) {
    const from = entryOf(f);
    for (const spec of importsOf(Deno.readTextFileSync(f))) {
      const target = resolve(dirname(f), spec);
      if (!target.startsWith(LIB)) continue;
      const to = entryOf(target);
      if (to === from) continue;
      if (!(from in LAYERS) || !(to in LAYERS)) bad.push(`${relative(LIB, f)}: ${to} has no layer`);
      else if (LAYERS[to] >= LAYERS[from]) bad.push(`${relative(LIB, f)} → ${relative(LIB, target)}`);
    }
  }
  return bad;
}

Deno.test("layers: every import in lib/ runs downward (or stays in its folder)", () => {
  assert.deepEqual(layerViolations(), []);
});

Deno.test("layers: the import reader sees imports, exports and dynamic imports, not comments", () => {
  const src = `/** @example import { a } from "../mod.ts"; */\n// import { b } from "../x.ts";\n` +
    `import { c } from "./c.ts";\nimport {\n  d,\n} from "../d/d.ts";\nexport * from "./e.ts";\n` +
    `const f = await import("../f.ts");\nimport * as tf from "npm:x";`;
  assert.deepEqual(importsOf(src), ["./c.ts", "../d/d.ts", "./e.ts", "../f.ts"]);
});

Deno.test("files: none in lib/ or tests/ is over 350 lines", () => {
  const long = [...files(LIB), ...files(join(PROJECT_ROOT, "tests"))]
    .map((f) => ({ f: relative(PROJECT_ROOT, f), n: Deno.readTextFileSync(f).split("\n").length - 1 }))
    .filter(({ n }) => n > 350).map(({ f, n }) => `${f}: ${n} lines`);
  assert.deepEqual(long, []);
});
