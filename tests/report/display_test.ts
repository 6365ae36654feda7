/**
 * lib/util/jupyter.ts and the display helpers: outside the Jupyter kernel (reading `Deno.jupyter`
 * throws there in Deno 2.9), `show`, `showTable`, `showHtml` and `notebookProgress` fall back to
 * the console instead of throwing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { jupyter } from "../../lib/util/jupyter.ts";

Deno.test("display helpers under deno run: no kernel found, each falls back to the console", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "tests", "helpers", "display_outside.ts")],
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(r.stdout), err = new TextDecoder().decode(r.stderr);
  assert.ok(r.success, err);
  assert.match(out, /^kernel: none\n/);
  assert.match(out, /a table\n/);
  assert.match(out, /plain text\n/);
  assert.match(out, /1\/1 .*loss 1\.0000/);
  assert.match(out, /done\n$/);
});

Deno.test("jupyter(): reading Deno.jupyter here throws, and the helper says undefined", () => {
  assert.throws(() => (Deno as unknown as { jupyter: unknown }).jupyter, /only available in `deno jupyter`/);
  assert.equal(jupyter(), undefined);
});
