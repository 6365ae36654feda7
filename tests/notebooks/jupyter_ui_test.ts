/**
 * A notebook as a person opens it: Debian's Jupyter Notebook (6.4) server,
 * its own UI in chromium (playwright-core). Opened fresh, the committed
 * notebook is untrusted and still shows its figures; run through the UI
 * (all cells, the quick profile), it shows every figure again, no error, and
 * writes `scratch/00_tour/` while `results/00_tour/` stays as it was.
 * Autosave is switched off, so the committed file is never rewritten.
 * Skipped (visibly) without jupyter-notebook or chromium; CI runs it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";

const JUPYTER = Deno.env.get("GRAVES_JUPYTER_NOTEBOOK") ?? "/usr/bin/jupyter-notebook";
const CHROMIUM = Deno.env.get("GRAVES_CHROMIUM") ?? "/usr/bin/chromium";
const required = Deno.env.get("GRAVES_REQUIRE_BROWSER") === "1";
const have = exists(JUPYTER) && exists(CHROMIUM);
if (!have && !required) console.log(`tests/notebooks: Jupyter UI test skipped, no ${JUPYTER} or ${CHROMIUM}`);

const NAME = "00_tour";

/** The bytes of every file in `dir` (empty when it does not exist). */
function snapshot(dir: string): Record<string, string> {
  if (!exists(dir)) return {};
  return Object.fromEntries(
    [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => [
      e.name,
      Array.from(Deno.readFileSync(join(dir, e.name)).subarray(0, 4096)).join(",") +
      `:${Deno.statSync(join(dir, e.name)).size}`,
    ]),
  );
}

Deno.test({
  name: "notebooks: 00_tour in Jupyter Notebook's own UI: figures untrusted, all cells run, writes scratch/",
  ignore: !have && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(have, `need ${JUPYTER} (apt install jupyter-notebook) and ${CHROMIUM}`);
    const tmp = await Deno.makeTempDir({ prefix: "graves-jupyter-" });
    const token = crypto.randomUUID().replaceAll("-", "");
    const port = 20000 + Math.floor(Math.random() * 20000);
    const notebookFile = join(PROJECT_ROOT, "notebooks", `${NAME}.ipynb`);
    const committed = Deno.readTextFileSync(notebookFile);
    const checkpoints = join(PROJECT_ROOT, "notebooks", ".ipynb_checkpoints");
    const hadCheckpoints = exists(checkpoints);
    const resultsBefore = snapshot(join(PROJECT_ROOT, "results", NAME));
    const scratch = join(PROJECT_ROOT, "scratch", NAME);
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
    const server = new Deno.Command(JUPYTER, {
      args: [
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        `--port=${port}`,
        "--port-retries=0",
        `--NotebookApp.token=${token}`,
        `--notebook-dir=${PROJECT_ROOT}`,
      ],
      env: {
        JUPYTER_PATH: join(PROJECT_ROOT, "notebooks"), // the project's kernelspec (Deno, NO_COLOR)
        JUPYTER_CONFIG_DIR: join(tmp, "config"),
        JUPYTER_DATA_DIR: join(tmp, "data"), // a fresh trust database: the notebook opens untrusted
        JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
        PATH: `${join(Deno.execPath(), "..")}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const log: string[] = [];
    (async () => {
      for await (const chunk of server.stderr.pipeThrough(new TextDecoderStream())) log.push(chunk);
    })();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) { // the server starts in a second or two
        const up = await fetch(`${base}/api/status?token=${token}`).then((r) => (r.body?.cancel(), r.ok))
          .catch(
            () => false,
          );
        if (up) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${base}/notebooks/notebooks/${NAME}.ipynb?token=${token}`);
      await page.waitForFunction(
        () => {
          const J =
            (globalThis as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } })
              .Jupyter;
          return J?.notebook?.kernel?.is_connected?.() === true;
        },
        undefined,
        { timeout: 60_000 },
      );
      const state = () =>
        page.evaluate(() => {
          // deno-lint-ignore no-explicit-any
          const nb = (globalThis as any).Jupyter.notebook, d = (globalThis as any).document;
          // deno-lint-ignore no-explicit-any
          const code = nb.get_cells().filter((c: any) => c.cell_type === "code");
          return {
            trusted: nb.trusted as boolean,
            // deno-lint-ignore no-explicit-any
            done: code.every((c: any) => typeof c.input_prompt_number === "number"),
            images: d.querySelectorAll(".output_png img").length as number,
            // deno-lint-ignore no-explicit-any
            errors: [...d.querySelectorAll(".output_error")].map((e: any) => String(e.textContent)),
            svgOnly: d.querySelectorAll(".output_svg").length as number,
          };
        });
      const pngs = (JSON.parse(committed).cells as { outputs?: { data?: Record<string, unknown> }[] }[])
        .flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["image/png"]).length;
      const opened = await state();
      assert.equal(opened.trusted, false, "a fresh server opens the committed notebook untrusted");
      assert.equal(opened.images, pngs, "every saved figure shows in the untrusted notebook");
      await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        const nb = (globalThis as any).Jupyter.notebook;
        nb.set_autosave_interval(0); // never rewrite the committed file
        nb.clear_all_output();
        nb.execute_all_cells();
      });
      await page.waitForFunction(
        () => {
          // deno-lint-ignore no-explicit-any
          const nb = (globalThis as any).Jupyter.notebook;
          // deno-lint-ignore no-explicit-any
          const code = nb.get_cells().filter((c: any) => c.cell_type === "code");
          // deno-lint-ignore no-explicit-any
          return !nb.kernel_busy && code.every((c: any) => typeof c.input_prompt_number === "number");
        },
        undefined,
        { timeout: 240_000, polling: 500 },
      );
      const ran = await state();
      assert.deepEqual(ran.errors, [], "no cell failed");
      assert.equal(ran.images, pngs, "every figure shows after running all cells");
      assert.equal(ran.svgOnly, 0);
      const first = await page.locator(".output_area").first().innerText();
      assert.match(
        first,
        /writing scratch\/00_tour\//,
        "the first cell says where an interactive run writes",
      );
      assert.ok(exists(join(scratch, "iam_line.png")), "the interactive run wrote scratch/00_tour/");
      assert.deepEqual(snapshot(join(PROJECT_ROOT, "results", NAME)), resultsBefore, "results/ untouched");
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await browser.close();
      server.kill("SIGTERM");
      await server.status;
      if (!hadCheckpoints) await Deno.remove(checkpoints, { recursive: true }).catch(() => {});
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
    assert.equal(Deno.readTextFileSync(notebookFile), committed, "the committed notebook file is unchanged");
  },
});
