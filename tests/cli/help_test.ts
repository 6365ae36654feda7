/**
 * Every `deno task` answers `--help` with its usage and exit 0, doing nothing
 * else (`deno task test --help` used to start the whole suite); and the quick
 * start's `deno task write` writes outside the tracked results.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";

const tasks = Object.keys(
  (JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, "deno.json"))) as { tasks: Record<string, unknown> })
    .tasks,
);

Deno.test("help: every deno task answers --help with its usage, exit 0", async () => {
  assert.ok(tasks.length >= 16, tasks.join(", "));
  for (const task of tasks) {
    const t0 = performance.now();
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", task, "--help"],
      cwd: PROJECT_ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout), err = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, 0, `deno task ${task} --help: exit ${r.code}\n${err}`);
    assert.match(
      out,
      new RegExp(`deno task ${task}\\b`),
      `deno task ${task} --help names its usage:\n${out}`,
    );
    assert.ok(performance.now() - t0 < 60_000, `deno task ${task} --help ran for a minute: it did the work`);
  }
});

Deno.test("help: deno task write writes scratch/write/ by default and says where", async () => {
  const svg = join(PROJECT_ROOT, "scratch", "write", "hi.svg");
  await Deno.remove(svg).catch(() => {});
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "write", "hi", "--bias", "1"],
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  assert.match(out, /wrote scratch\/write\/hi\.svg and scratch\/write\/hi\.png/);
  assert.ok(exists(svg));
  assert.ok(!exists(join(PROJECT_ROOT, "results", "write", "hi.svg")));
  const ignored = await new Deno.Command("git", { args: ["check-ignore", "-q", svg], cwd: PROJECT_ROOT })
    .output();
  assert.equal(ignored.code, 0, "scratch/ is ignored by git");
});

Deno.test("help: Jupyter's .ipynb_checkpoints are ignored by git, fmt and lint", async () => {
  const dir = join(PROJECT_ROOT, "notebooks", ".ipynb_checkpoints");
  const had = exists(dir);
  const copy = join(dir, "00_tour-checkpoint.ipynb");
  Deno.mkdirSync(dir, { recursive: true });
  // as Jupyter saves it: one-space JSON indentation, which deno fmt would change
  Deno.writeTextFileSync(
    copy,
    JSON.stringify(JSON.parse(Deno.readTextFileSync(join(dir, "..", "00_tour.ipynb"))), null, 1),
  );
  Deno.writeTextFileSync(join(dir, "bad.ts"), "let  x = 1\n");
  try {
    const run = (args: string[], cmd = Deno.execPath()) =>
      new Deno.Command(cmd, { args, cwd: PROJECT_ROOT, stdout: "piped", stderr: "piped" }).output();
    assert.equal((await run(["check-ignore", "-q", copy], "git")).code, 0, "git ignores it");
    for (const args of [["fmt", "--check"], ["lint"]]) {
      const r = await run([...args, "notebooks/"]);
      const said = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
      assert.doesNotMatch(
        said,
        /ipynb_checkpoints/,
        `deno ${args.join(" ")} looked inside .ipynb_checkpoints`,
      );
    }
  } finally {
    if (had) {
      Deno.removeSync(copy);
      Deno.removeSync(join(dir, "bad.ts"));
    } else Deno.removeSync(dir, { recursive: true });
  }
});
