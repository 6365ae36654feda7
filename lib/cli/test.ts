/**
 * `deno task test`: formatting (notebooks too), lint, type checks, the test suite, then every
 * notebook executed headless on the Deno kernel in the quick profile, into scratch/ (each
 * notebook counts as one test), ending with one plain line `N passed, M failed`
 * (CI reads that line, not Deno's own summary). `--no-notebooks` skips the
 * notebooks; other arguments go to `deno test` (e.g. a file or `--filter`).
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { unformattedNotebooks } from "./notebook_format.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const deno = Deno.execPath();

async function step(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string }> {
  console.log(`\n== ${name}: deno ${args.join(" ")}`);
  const child = new Deno.Command(deno, {
    args,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "inherit",
  })
    .spawn();
  let out = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    const text = dec.decode(chunk, { stream: true });
    out += text;
    await Deno.stdout.write(chunk);
  }
  const { success } = await child.status;
  return { ok: success, out };
}

const checks: [string, string[]][] = [
  ["format", ["fmt", "--check"]],
  ["lint", ["lint"]],
  ["types", ["check", "--doc", "lib/", "tests/", "web/"]], // --doc: the @example blocks too
];
let passed = 0, failed = 0;
for (const [name, args] of checks) {
  const { ok } = await step(name, args);
  if (ok) passed++;
  else failed++;
}
// notebooks: formatted as deno fmt formats them (lib/cli/notebook_format.ts says why not by fmt --check)
console.log("\n== notebook format: deno fmt --ext=ipynb - < notebooks/*.ipynb");
const notebooks = [...Deno.readDirSync("notebooks")].filter((e) => e.name.endsWith(".ipynb"))
  .map((e) => `notebooks/${e.name}`).sort();
const unformatted = await unformattedNotebooks(notebooks);
for (const n of unformatted) console.log(`not formatted: ${n} (deno task notebooks formats what it runs)`);
if (unformatted.length) failed++;
else passed++;
const runNotebooks = !Deno.args.includes("--no-notebooks");
const testArgs = Deno.args.filter((a) => a !== "--no-notebooks");
const t = await step("tests", ["test", "-A", "--no-check", ...(testArgs.length ? testArgs : ["tests/"])]);
// Deno prints "ok | 12 passed | 0 failed (1s)" or "FAILED | 10 passed | 2 failed (1s)".
const m = [...t.out.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)].at(-1);
if (m) {
  passed += Number(m[1]);
  failed += Number(m[2]);
} else if (!t.ok) failed++;
if (!t.ok && m && Number(m[2]) === 0) failed++; // the run failed outside any test (e.g. a load error)
if (runNotebooks) {
  // --scratch: results to scratch/, the executed notebooks to scratch/notebooks/; nothing tracked changes
  const nb = await step("notebooks (quick profile)", [
    "run",
    "-A",
    "lib/cli/notebooks.ts",
    "--profile",
    "quick",
    "--scratch",
  ]);
  const ok = (nb.out.match(/^ {2}ok in /gm) ?? []).length,
    bad = (nb.out.match(/^ {2}FAILED in /gm) ?? []).length;
  passed += ok;
  failed += bad + (nb.ok || bad ? 0 : 1);
}
console.log(`\n${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
