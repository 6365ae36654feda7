/**
 * How well priming works for a person's hand (section 5.5 applied to drawings
 * nobody trained on): primes drawn with Hershey's single-stroke faces (print
 * and cursive), sampled the way a mouse reports a pen (uneven steps) with or
 * without hand jitter, turned into styles exactly as the page and
 * `deno task style` do, then a target text written in that style. Each output
 * is rendered and read back by Tesseract (Debian's `tesseract-ocr`, an
 * independent reader): character error rate and words read, beside unprimed
 * output at the same bias; and its slant beside the prime's and the
 * unprimed output's.
 * @module
 */
import { hersheyLine, loadHershey } from "../data/hershey.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { primeFromStyle, styleFromDrawing } from "../data/iamondb/style.ts";
import { penSvg, yDown } from "../plots/pen.ts";
import { toPng } from "../plots/render.ts";
import { Rng } from "../util/rng.ts";
import { disposeWriter, write, type Writer } from "./write.ts";
import { type AdaptOptions, adaptToHand, slant, slantToward } from "./adapt.ts";

/** Strokes as a mouse would report them: points at uneven steps along the path, with optional jitter (same units). */
export function pointerSampled(
  strokes: Stroke[],
  o: { step: number; jitter: number; seed: number },
): Stroke[] {
  const rng = new Rng(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return strokes.map((s) => {
    const out: Stroke = { x: [], y: [] };
    const add = (
      x: number,
      y: number,
    ) => (out.x.push(x + o.jitter * gauss()), out.y.push(y + o.jitter * gauss()));
    add(s.x[0], s.y[0]);
    let carry = o.step * (0.5 + rng.next());
    for (let i = 1; i < s.x.length; i++) {
      const [x0, y0, x1, y1] = [s.x[i - 1], s.y[i - 1], s.x[i], s.y[i]];
      const d = Math.hypot(x1 - x0, y1 - y0);
      let at = carry;
      for (; at <= d; at += o.step * (0.5 + rng.next())) {
        add(x0 + ((x1 - x0) * at) / d, y0 + ((y1 - y0) * at) / d);
      }
      carry = at - d;
    }
    add(s.x.at(-1)!, s.y.at(-1)!);
    return out;
  });
}

/** Edit distance of two strings. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** What Tesseract reads of `strokes` (y down) drawn as a line of ink: one line of text (`--psm 7`). */
export async function tesseractRead(strokes: Stroke[], tesseract = "tesseract"): Promise<string> {
  const ys = strokes.flatMap((s) => s.y), h = Math.max(...ys) - Math.min(...ys) || 1;
  const svg = penSvg(strokes, { mmPerUnit: 12 / h, strokeWidthMm: 0.6, marginMm: 4 }); // ink 12 mm tall
  const dir = await Deno.makeTempDir({ prefix: "graves-ocr-" });
  try {
    await Deno.writeFile(`${dir}/line.png`, toPng({ svg, width: 0, height: 0 }, 8));
    const r = await new Deno.Command(tesseract, {
      args: [`${dir}/line.png`, "stdout", "--psm", "7", "-l", "eng"],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!r.success) throw new Error(`${tesseract} failed on ${dir}/line.png`);
    return new TextDecoder().decode(r.stdout).trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Character error rate and share of the target's words read (case-insensitive, punctuation aside). */
export function legibility(read: string, target: string): { cer: number; words: number } {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]/g, "").replace(/\s+/g, " ").trim();
  const [r, t] = [norm(read), norm(target)];
  const got = r.split(" ");
  const words = t.split(" ").filter((w) => {
    const k = got.indexOf(w);
    if (k >= 0) got.splice(k, 1);
    return k >= 0;
  }).length;
  return { cer: levenshtein(r, t) / Math.max(1, t.length), words: words / t.split(" ").length };
}

/** One prime source: its strokes as drawn (y down, any units) and what they say. */
export interface DrawnPrime {
  name: string;
  text: string;
  strokes: Stroke[];
}

/** Hershey primes: each face, clean and with mouse-like jitter, drawn at about 60 px a line. */
export function hersheyPrimes(faces: string[], text: string): DrawnPrime[] {
  return faces.flatMap((face) => {
    const line = hersheyLine(loadHershey(face), text).map((s) => ({
      x: s.x.map((v) => 3 * v),
      y: s.y.map((v) => 3 * v),
    }));
    return [
      { name: `${face}`, text, strokes: pointerSampled(line, { step: 4, jitter: 0, seed: 1 }) },
      { name: `${face}+jitter`, text, strokes: pointerSampled(line, { step: 6, jitter: 0.8, seed: 2 }) },
    ];
  });
}

/** A row of the benchmark. */
export interface OwnHandRow {
  prime: string;
  target: string;
  seed: number;
  read: string;
  cer: number;
  words: number;
  slant: number;
  primeSlant: number;
}

/**
 * How a drawing sets the hand: `prime` feeds its strokes first (section 5.5);
 * `adapt` writes unprimed with a copy of the network adapted to them
 * (`adaptToHand`); `adapt+slant` also shears the output to the drawing's slant.
 */
export type HandMethod = "prime" | "adapt" | "adapt+slant";

/** Writes each target with each prime (and unprimed, `prime: "none"`) and reads the output back. */
export async function ownHandRows(
  w: Writer,
  primes: DrawnPrime[],
  o: {
    targets: string[];
    seeds: number[];
    bias: number;
    tesseract?: string;
    size?: "ink-height" | "pen-length";
    method?: HandMethod;
    adapt?: AdaptOptions;
  },
): Promise<OwnHandRow[]> {
  const rows: OwnHandRow[] = [];
  const method = o.method ?? "prime";
  for (const p of [undefined, ...primes]) {
    const prime = p
      ? primeFromStyle(styleFromDrawing([p.strokes], p.text, { size: o.size }), w.stats)
      : undefined;
    const adapted = prime && method !== "prime" ? adaptToHand(w, prime, o.adapt).net : undefined;
    for (const target of o.targets) {
      for (const seed of o.seeds) {
        const r = write(adapted ?? w, target, {
          bias: o.bias,
          seed,
          prime: adapted ? undefined : prime,
          biasWeights: false,
          finishStroke: 150,
          redraws: 1,
        });
        let ink = yDown(r.strokes);
        if (p && method === "adapt+slant") ink = slantToward(ink, slant(p.strokes));
        const read = await tesseractRead(ink, o.tesseract);
        rows.push({
          prime: p?.name ?? "none",
          target,
          seed,
          read,
          ...legibility(read, target),
          slant: slant(ink),
          primeSlant: p ? slant(p.strokes) : NaN,
        });
      }
    }
    if (adapted) disposeWriter(adapted);
  }
  return rows;
}
