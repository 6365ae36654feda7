/**
 * Plotter output against real readers: LinuxCNC's own G-code interpreter
 * (`rs274`, from Debian's linuxcnc-uspace, unpacked by `.ci/run` into
 * `.ci/linuxcnc/`) reads every preset's file of a six-line document to its
 * program end; the SVG is in plotting order (pen-up travel within 10% of an
 * independent greedy nearest-neighbour order that may reverse strokes) with
 * one layer per page; bad flags stop the command before any work. Skipped
 * (visibly) without rs274, except in CI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { strokesFromSvg } from "../../lib/plots/svg_strokes.ts";
import type { Stroke } from "../../lib/data/iamondb/strokes.ts";

const RS274 = Deno.env.get("GRAVES_RS274") ?? join(PROJECT_ROOT, ".ci", "linuxcnc", "usr", "bin", "rs274");
const required = Deno.env.get("GRAVES_REQUIRE_BROWSER") === "1"; // CI: the real clients always run
const haveRs274 = exists(RS274);
if (!haveRs274 && !required) {
  console.log(`tests/plots: rs274 checks skipped, no ${RS274} (.ci/run fetches it)`);
}

const SIX_LINES = [
  "Dear Ada, the plotter draws",
  "what the network writes.",
  "Six short lines are enough",
  "to see whether the controller",
  "reads all of it. With thanks,",
  "Charles",
].join("\n\n"); // blank lines: six paragraphs, six lines

async function write(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "write", ...args],
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, out: new TextDecoder().decode(r.stdout), err: new TextDecoder().decode(r.stderr) };
}

async function rs274(file: string): Promise<{ code: number; canon: string; said: string }> {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(dir, "tools.tbl"), "T1 P1 D0 Z0 ;\n");
  const lib = join(RS274, "..", "..", "lib");
  const r = await new Deno.Command(RS274, {
    args: ["-t", join(dir, "tools.tbl"), "-n", "2", file, join(dir, "canon.txt")],
    env: { LD_LIBRARY_PATH: `${lib}:${join(lib, "x86_64-linux-gnu")}` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const canon = exists(join(dir, "canon.txt")) ? Deno.readTextFileSync(join(dir, "canon.txt")) : "";
  return {
    code: r.code,
    canon,
    said: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr),
  };
}

/** Pen-up travel of strokes in the given order (from and back to the origin). */
function upTravel(strokes: Stroke[]): number {
  let x = 0, y = 0, d = 0;
  for (const s of strokes) {
    d += Math.hypot(s.x[0] - x, s.y[0] - y);
    [x, y] = [s.x.at(-1)!, s.y.at(-1)!];
  }
  return d + Math.hypot(x, y);
}

/** An independent greedy nearest-neighbour order that may reverse strokes (the reference). */
function greedy(strokes: Stroke[]): Stroke[] {
  const left = [...strokes], out: Stroke[] = [];
  let p = [0, 0];
  while (left.length) {
    const ends = left.map((s, i) => ({
      i,
      head: Math.hypot(s.x[0] - p[0], s.y[0] - p[1]),
      tail: Math.hypot(s.x.at(-1)! - p[0], s.y.at(-1)! - p[1]),
    }));
    const best = ends.reduce((a, b) => (Math.min(b.head, b.tail) < Math.min(a.head, a.tail) ? b : a));
    const s = left.splice(best.i, 1)[0];
    const drawn = best.tail < best.head ? { x: [...s.x].reverse(), y: [...s.y].reverse() } : s;
    out.push(drawn);
    p = [drawn.x.at(-1)!, drawn.y.at(-1)!];
  }
  return out;
}

Deno.test({
  name:
    "plotters: rs274 reads every preset's G-code of a six-line document to its end; SVG in plotting order",
  ignore: !haveRs274 && !required,
  async fn() {
    assert.ok(haveRs274, `no ${RS274}: run .ci/run (it unpacks Debian's linuxcnc-uspace there)`);
    const dir = await Deno.makeTempDir({ prefix: "graves-plot-" });
    const text = join(dir, "six.txt");
    Deno.writeTextFileSync(text, SIX_LINES);
    const runs: [string, string[]][] = [
      ["default", []],
      ["z-axis", ["--preset", "z-axis"]],
      ["grbl-spindle", ["--preset", "grbl-spindle", "--invert-y"]],
      ["own commands", ["--pen-up", "G0 Z3", "--pen-down", "G1 Z-0.5", "--dwell", "0.2", "--feed", "1200"]],
    ];
    for (const [name, flags] of runs) {
      const out = join(dir, `${name.replace(/ /g, "_")}.gcode`);
      const w = await write(["--file", text, "--format", "gcode", "--out", out, ...flags]);
      assert.equal(w.code, 0, w.err);
      assert.match(w.out, /6 lines on 1 page/);
      assert.match(w.err, /pen down [\d.]+ m, pen up [\d.]+ m .*about \d+ min/);
      const page = out.replace(/\.gcode$/, "-1.gcode");
      const r = await rs274(page);
      assert.equal(r.code, 0, `${name}: rs274 exit ${r.code}: ${r.said.split("\n").slice(-3).join(" | ")}`);
      assert.match(r.canon, /PROGRAM_END\(\)/, `${name}: read to the program end`);
      const feeds = r.canon.match(/STRAIGHT_FEED/g)?.length ?? 0;
      assert.ok(feeds > 500, `${name}: ${feeds} drawing moves`);
      if (name !== "z-axis") assert.match(r.canon, /DWELL\(0\.\d+\)/, `${name}: dwells after pen moves`);
    }
    // the SVG: plotting order, one layer
    const w = await write(["--file", text, "--out", join(dir, "six.svg")]);
    assert.equal(w.code, 0, w.err);
    const svg = Deno.readTextFileSync(join(dir, "six-1.svg"));
    assert.match(svg, /<g inkscape:groupmode="layer" inkscape:label="1 page 1 of 1"/);
    const strokes = strokesFromSvg(svg, 0.01);
    const ours = upTravel(strokes), reference = upTravel(greedy(strokes));
    assert.ok(
      ours <= 1.1 * reference,
      `pen-up travel ${ours.toFixed(0)} mm vs greedy ${reference.toFixed(0)} mm`,
    );
    // the G-code of the same name leaves the SVG pages (and their PNGs) alone, and the other way round
    assert.equal(
      (await write(["--file", text, "--format", "gcode", "--out", join(dir, "six.gcode")])).code,
      0,
    );
    for (const f of ["six-1.svg", "six-1.png", "six-1.gcode"]) assert.ok(exists(join(dir, f)), f);
  },
});

Deno.test("plotters: bad flags stop deno task write --file before any work, and --help answers", async () => {
  const dir = await Deno.makeTempDir();
  const text = join(dir, "t.txt");
  Deno.writeTextFileSync(text, "hello there");
  for (
    const [flags, said] of [
      [["--feed=-5"], /--feed -5: expected a number > 0/],
      [["--preset", "nope"], /--preset nope: grbl-servo, grbl-spindle, z-axis/],
      [["--pen-down", "M3 S90; rm -rf"], /--pen-down "M3 S90; rm -rf": G-code words/],
      [["--dwell", "x"], /--dwell x: expected a number/],
      [["--simplify=-1"], /--simplify -1/],
    ] as [string[], RegExp][]
  ) {
    const t0 = performance.now();
    const r = await write(["--file", text, "--format", "svg", "--out", join(dir, "o.svg"), ...flags]);
    assert.equal(r.code, 2, `${flags.join(" ")}: exit ${r.code}\n${r.err}`);
    assert.match(r.err, said);
    assert.ok(performance.now() - t0 < 30_000, "refused before the network loads");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["t.txt"], "nothing written");
  }
  const help = await write(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--preset grbl-servo\|grbl-spindle\|z-axis/);
});
