/**
 * The headless notebook runner on the real Deno kernel: no output is lost
 * across repeated runs (the kernel may report idle before a cell's result),
 * and a failing cell fails the run, naming the cell.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";

const python = Deno.env.get("GRAVES_PYTHON") ?? "/usr/bin/python3";
const hasClient = exists(python) &&
  (await new Deno.Command(python, { args: ["-c", "import jupyter_client, nbformat"], stderr: "null" })
    .output()).success;
if (!hasClient) {
  console.warn(
    `SKIPPED notebook runner tests: ${python} lacks jupyter_client (apt install python3-nbclient)`,
  );
}

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `c${i}`,
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
  });
}

async function execute(nb: string): Promise<{ ok: boolean; out: Record<string, unknown>; stderr: string }> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "t.ipynb");
  Deno.writeTextFileSync(path, nb);
  const r = await new Deno.Command(python, {
    args: [
      join(PROJECT_ROOT, "lib", "notebooks", "execute.py"),
      path,
      path,
      "--timeout",
      "120",
      "--cwd",
      dir,
    ],
    env: {
      JUPYTER_PATH: join(PROJECT_ROOT, "notebooks"),
      JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
      JUPYTER_CONFIG_DIR: join(dir, "config"),
      JUPYTER_DATA_DIR: join(dir, "data"),
      NO_COLOR: "1", // as `deno task notebooks` runs them: plain text outputs
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    ok: r.success,
    out: JSON.parse(Deno.readTextFileSync(path)),
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test({
  name: "notebook runner: every cell's result arrives, three runs in a row",
  ignore: !hasClient,
  async fn() {
    const cells = Array.from({ length: 12 }, (_, i) => `const v${i} = ${i} * 2;\nv${i}`);
    cells.push(`console.log("printed"); "last"`);
    for (let run = 0; run < 3; run++) {
      const r = await execute(notebook(cells));
      assert.ok(r.ok, r.stderr);
      const got = (r.out.cells as {
        outputs: { output_type: string; data?: Record<string, string>; text?: string }[];
      }[]).map((c) => c.outputs.map((o) => o.data?.["text/plain"] ?? o.text ?? "").join("|"));
      const want = [...Array.from({ length: 12 }, (_, i) => String(i * 2)), `printed\n|"last"`];
      assert.deepEqual(got, want, `run ${run + 1}`);
    }
  },
});

Deno.test({
  name: "notebook runner: a failing cell fails the run and names the cell",
  ignore: !hasClient,
  async fn() {
    const r = await execute(notebook(["1 + 1", `throw new Error("deliberate")`, "3"]));
    assert.equal(r.ok, false);
    assert.match(r.stderr, /cell 2 error: Error: deliberate/);
  },
});

Deno.test({
  name:
    "notebook runner: a syntax error is named with its text, and the cells after it lose an earlier run's outputs",
  ignore: !hasClient,
  async fn() {
    const nb = JSON.parse(notebook(["1 + 1", "const = 5;", "3"]));
    nb.cells[2].outputs = [{
      output_type: "execute_result",
      data: { "text/plain": "3" },
      metadata: {},
      execution_count: 9,
    }];
    nb.cells[2].execution_count = 9; // as an earlier, successful run left it
    const r = await execute(JSON.stringify(nb));
    assert.equal(r.ok, false);
    assert.match(r.stderr, /cell 2 error: \w+: \S/, "the error's text, not only the cell");
    const cells = r.out.cells as { outputs: unknown[]; execution_count: number | null }[];
    assert.deepEqual(
      [cells[2].outputs, cells[2].execution_count],
      [[], null],
      "no stale output below the failure",
    );
  },
});
