/** The `deno task` commands refuse arguments they would not read, naming them and what was meant. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

async function run(cli: string, args: string[]) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", `${cli}.ts`), ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr) };
}

for (
  const [cli, args, said] of [
    ["recipe", ["ptb", "runs/x"], /unexpected argument runs\/x: .*--checkpoint dir/],
    ["eval", ["ptb", "runs/x", "runs/y"], /unexpected arguments runs\/x runs\/y: .*--checkpoint dir/],
    ["train", ["ptb", "runs/x"], /unexpected argument runs\/x: .*--run-dir dir/],
    ["ship", ["ptb", "runs/x", "runs/y"], /unexpected argument runs\/y: one run folder/],
  ] as const
) {
  Deno.test(`deno task ${cli} ${args.join(" ")}: refused, the extra argument named, nothing run`, async () => {
    const r = await run(cli, [...args]);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, said);
    assert.equal(r.out.trim().split("\n").length, 1, `one line of error, nothing else: ${r.out}`);
  });
}
