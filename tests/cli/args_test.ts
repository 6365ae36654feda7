/**
 * The `deno task` commands refuse arguments they would not read and values out of range, each in
 * one line naming the flag and what it takes (exit 2), and another experiment's checkpoint by name.
 */
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

// Bad values, not only bad types: each is one line and exit 2, with no stack trace, before anything runs.
for (
  const [cli, args, said] of [
    ["write", ["hello", "--samples", "0"], /^error: --samples 0: expected a whole number ≥ 1 and ≤ 100$/],
    ["write", ["hello", "--seed", "abc"], /^error: --seed abc: expected a whole number ≥ 0$/],
    ["write", ["hello", "--bias", "-5"], /^error: .*'--bias'.*ambiguous/],
    ["write", ["hello", "--bias=-5"], /^error: --bias -5: expected a number ≥ 0$/],
    ["write", ["x".repeat(700)], /^error: the text is 700 characters; deno task write takes at most 600/],
    ["train", ["ptb", "--max-hours", "abc"], /^error: --max-hours abc: expected a number > 0$/],
    ["train", ["ptb", "--set", "batch=0"], /^error: --set batch=0: expected a whole number ≥ 1$/],
    ["train", ["ptb", "--set", "epochs=-1"], /^error: --set epochs=-1: expected a number > 0$/],
    [
      "train",
      ["ptb", "--set", "model.cells=0"],
      /^error: --set model\.cells=0: expected a whole number > 0$/,
    ],
    [
      "train",
      ["ptb", "--set", "learningRate=abc"],
      /^error: --set learningRate=abc: a string, the setting is a number$/,
    ],
  ] as const
) {
  Deno.test(`deno task ${cli} ${args.join(" ").slice(0, 40)}: one line, exit 2`, async () => {
    const r = await run(cli, [...args]);
    assert.equal(r.code, 2, r.out);
    const lines = r.out.trim().split("\n");
    assert.match(lines.at(-1)!, said);
    assert.ok(!/\n\s+at /.test(r.out), `no stack trace: ${r.out}`);
  });
}

Deno.test("wrong experiment's checkpoint: eval ptb with the synthesis network, write with the PTB one: refused by name", async () => {
  const synth = join(PROJECT_ROOT, "results", "checkpoints", "synthesis");
  const ptb = join(PROJECT_ROOT, "results", "checkpoints", "ptb");
  const ev = await run("eval", ["ptb", "--checkpoint", synth, "--prefix", "100", "--out", "/dev/null"]);
  assert.equal(ev.code, 1, ev.out);
  assert.match(ev.out, /results\/checkpoints\/synthesis holds a synthesis checkpoint, not a ptb one/);
  const wr = await run("write", ["hi", "--checkpoint", ptb]);
  assert.equal(wr.code, 1, wr.out);
  assert.match(
    wr.out,
    /error: results\/checkpoints\/ptb holds a ptb checkpoint, not one that writes text \(synthesis or writer\)\n?$/,
  );
  assert.ok(!/\n\s+at /.test(wr.out + ev.out), "no stack trace");
});
