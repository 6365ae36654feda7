/**
 * The committed notebooks as readers meet them: through nbconvert (Debian's
 * `jupyter-nbconvert`, the renderer code hosts and notebook viewers follow),
 * every figure output is a PNG image in the HTML; no output is SVG alone
 * (untrusted Jupyter hides it); no ANSI colour codes, timings or machine
 * details are saved; each notebook says where it writes and ends with a
 * try-it cell. Skipped (visibly) without nbconvert; CI installs it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";

const NBCONVERT = Deno.env.get("GRAVES_NBCONVERT") ?? "/usr/bin/jupyter-nbconvert";
const required = Deno.env.get("GRAVES_REQUIRE_BROWSER") === "1"; // CI: the real clients always run
const haveNbconvert = exists(NBCONVERT);
if (!haveNbconvert && !required) {
  console.log(`tests/notebooks: nbconvert checks skipped, no ${NBCONVERT} (apt install jupyter-nbconvert)`);
}

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const dir = join(PROJECT_ROOT, "notebooks");
const names = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".ipynb")).map((e) =>
  e.name
)
  .sort();
const read = (name: string) => JSON.parse(Deno.readTextFileSync(join(dir, name))) as { cells: Cell[] };
const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");

Deno.test("notebooks: five committed notebooks", () => assert.equal(names.length, 5, names.join(", ")));

for (const name of names) {
  Deno.test(`notebooks: ${name} saves every figure as PNG, no ANSI codes, no timings or machine details`, () => {
    const nb = read(name);
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    const figures = outputs.filter((o) => o.data?.["image/png"] || o.data?.["image/svg+xml"]);
    assert.ok(figures.length > 0, "a notebook with no figure output");
    for (const f of figures) {
      assert.ok(f.data?.["image/png"], "a figure saved as SVG alone (untrusted Jupyter hides it)");
    }
    const saved = JSON.stringify(outputs.map((o) => [o.data?.["text/plain"], o.data?.["text/html"], o.text]));
    assert.doesNotMatch(saved, /\\u001b\[/, "ANSI colour codes in a saved output");
    assert.doesNotMatch(
      saved,
      /OPENBLAS|backend: wasm|AMD EPYC|Intel\(R\)|\d+ points\/s|eta \d+s/,
      "machine or timing",
    );
    assert.doesNotMatch(saved, /\/work\/|\/home\/|\/root\//, "an absolute path of the machine that ran it");
  });

  Deno.test(`notebooks: ${name} says where it writes, shows its settings, ends with a try-it cell`, () => {
    const nb = read(name), base = name.replace(/\.ipynb$/, "");
    assert.match(
      text(nb.cells[0].source),
      new RegExp(`scratch/${base}/`),
      "the first cell names the scratch folder",
    );
    assert.match(text(nb.cells[0].source), new RegExp(`deno task notebooks ${base}`));
    const first = nb.cells.find((c) => c.cell_type === "code")!;
    assert.match(text(first.source), new RegExp(`g\\.openNotebook\\("${base}"\\)`));
    const mds = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => text(c.source));
    assert.ok(mds.some((m) => /^## Try it/m.test(m)), "a try-it section");
    const last = nb.cells.at(-1)!;
    assert.equal(last.cell_type, "code", "the notebook ends with the try-it cell");
    assert.doesNotMatch(
      text(last.source),
      /saveFigure|writeTable|writeMetrics|nb\.out/,
      "try-it writes nothing",
    );
  });
}

Deno.test({
  name: "notebooks: nbconvert's HTML shows each figure of each committed notebook as an image",
  ignore: !haveNbconvert && !required,
  async fn() {
    assert.ok(haveNbconvert, `no ${NBCONVERT}: apt install jupyter-nbconvert`);
    for (const name of names) {
      const pngs = read(name).cells.flatMap((c) =>
        c.outputs ?? []
      ).filter((o) => o.data?.["image/png"]).length;
      const r = await new Deno.Command(NBCONVERT, {
        args: ["--to", "html", "--stdout", join(dir, name)],
        stdout: "piped",
        stderr: "piped",
        env: { JUPYTER_PLATFORM_DIRS: "1" },
      }).output();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const html = new TextDecoder().decode(r.stdout);
      const imgs = html.match(/<img [^>]*src="data:image\/png;base64,[A-Za-z0-9+/=]{100,}/g) ?? [];
      assert.equal(
        imgs.length,
        pngs,
        `${name}: ${imgs.length} images in the HTML for ${pngs} figure outputs`,
      );
      assert.doesNotMatch(
        html,
        /<img [^>]*src="data:image\/svg|<svg[^>]*width="760"/,
        `${name}: a figure as SVG`,
      );
    }
  },
});
