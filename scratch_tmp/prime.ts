import * as g from "../lib/mod.ts";
import { offsetsToStrokes, denormalise } from "../lib/data/iamondb/offsets.ts";
import { styleFromDrawing, primeFromStyle } from "../lib/data/iamondb/style.ts";
import { loadWriter, write } from "../lib/experiments/write.ts";
await g.initBackend({ quiet: true });
const data = await g.prepareIam();
const w = await loadWriter(g.shippedDir("synthesis"));
const k = 41, line = data.valid[k], text = data.split.valid[k].text;
// the line as a person would draw it: absolute strokes, y down, in "px" (scaled by 0.2)
const strokes = offsetsToStrokes(denormalise(line.points, data.stats), line.n).map((s) => ({ x: s.x.map((v) => v * 0.2), y: s.y.map((v) => -v * 0.2) }));
const style = styleFromDrawing([strokes], text);
const prime = primeFromStyle(style, data.stats);
console.log("prime n", prime.n, "orig n", line.n, text);
const real = { points: line.points, n: line.n, text };
const a = write(w, "hello world", { bias: 0.75, prime, finishStroke: 150, biasWeights: false });
const b = write(w, "hello world", { bias: 0.75, prime: real, finishStroke: 150, biasWeights: false });
const c = write(w, "hello world", { bias: 0.75, finishStroke: 150, biasWeights: false });
const fig = g.handwriting([
  { strokes: offsetsToStrokes(denormalise(prime.points, data.stats), prime.n), label: "the prime, through styleFromDrawing" },
  { strokes: a.strokes, label: "primed by it" }, { strokes: b.strokes, label: "primed by the line itself" }, { strokes: c.strokes, label: "unprimed" }]);
g.saveFigure(fig, "scratch_tmp", "prime");
