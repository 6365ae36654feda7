/**
 * Pen strokes for pen plotters as G-code that real controllers accept
 * (checked with LinuxCNC's own interpreter, `rs274`, in the tests): millimetres
 * (`G21`), absolute moves (`G90`), the XY plane, a feed rate set before any feed
 * move, a dwell after each pen-up and pen-down so that a servo has settled
 * before the pen moves, the pen lifted and parked at the origin at the end,
 * and `M2` (program end). How the pen is lifted is a preset (`GCODE_PRESETS`)
 * or your own commands. `parseGcode` reads such a file back into strokes.
 * @module
 */
import type { Stroke } from "../data/iamondb/strokes.ts";

/** How a plotter lifts and lowers its pen. */
export interface PenPreset {
  penUp: string;
  penDown: string;
  /** Seconds to wait after lifting and after lowering (`G4 P…`). */
  dwellS: number;
  why: string;
}

/**
 * The common dialects. Servo forks of GRBL (the commonest hobby pen plotters)
 * map `M3 S…` to a servo angle, and a hobby servo (SG90: 0.1 s per 60°) needs
 * ~0.15 s to swing; GRBL with a spindle output or a laser-style pen holder
 * switches with `M5` / `M3 S1000`, as vpype-gcode's documented custom profile
 * does (dwells 0.3-0.5 s); a Z-axis pen (a CNC, vpype-gcode's `gcodemm`-style
 * machines with a Z motor) moves Z, and needs no dwell.
 */
export const GCODE_PRESETS: Record<string, PenPreset> = {
  "grbl-servo": {
    penUp: "M3 S0",
    penDown: "M3 S90",
    dwellS: 0.15,
    why: "GRBL servo fork: M3 S<angle>; S90 is 90° on most forks (set --pen-down for yours)",
  },
  "grbl-spindle": {
    penUp: "M5",
    penDown: "M3 S1000",
    dwellS: 0.3,
    why: "GRBL spindle/laser output driving the pen (M5 off = up)",
  },
  "z-axis": { penUp: "G0 Z5", penDown: "G1 Z0", dwellS: 0, why: "a Z motor: up 5 mm, down to 0 at the feed" },
};

/** How a page becomes G-code. */
export interface GcodeOptions {
  /** A name in `GCODE_PRESETS`. @default "grbl-servo" */
  preset?: string;
  /** Overrides the preset's. */
  penUp?: string;
  penDown?: string;
  dwellS?: number;
  /** Drawing feed rate, mm/min. @default 2000 */
  feed?: number;
  /** Page height in mm: G-code's y grows up from the bottom-left, the page's down from the top-left. */
  pageHeightMm: number;
  /** Keep the page's y (down from the top-left), for machines whose Y axis points toward the user. */
  invertY?: boolean;
  /** First line's comment, e.g. "page 1 of 2". */
  title?: string;
}

/** The pen commands and dwell `o` resolves to (a preset's, overridden by explicit ones). */
export function penCommands(o: Pick<GcodeOptions, "preset" | "penUp" | "penDown" | "dwellS">): PenPreset {
  const name = o.preset ?? "grbl-servo";
  const p = GCODE_PRESETS[name];
  if (!p) throw new Error(`no G-code preset "${name}" (there: ${Object.keys(GCODE_PRESETS).join(", ")})`);
  return { ...p, penUp: o.penUp ?? p.penUp, penDown: o.penDown ?? p.penDown, dwellS: o.dwellS ?? p.dwellS };
}

/** A stroke run the other way. */
const reversed = (s: Stroke): Stroke => ({ x: [...s.x].reverse(), y: [...s.y].reverse() });

/**
 * Strokes in plotting order for a short pen-up path: greedy nearest neighbour
 * from the origin, each stroke entered from whichever end is nearer (and then
 * drawn reversed), as vpype's `linesort` does.
 */
export function orderStrokes(strokes: Stroke[]): Stroke[] {
  const left = strokes.filter((s) => s.x.length > 0);
  const out: Stroke[] = [];
  let x = 0, y = 0;
  while (left.length) {
    let best = 0, bestD = Infinity, flip = false;
    left.forEach((s, i) => {
      const a = Math.hypot(s.x[0] - x, s.y[0] - y), b = Math.hypot(s.x.at(-1)! - x, s.y.at(-1)! - y);
      if (a < bestD) [best, bestD, flip] = [i, a, false];
      if (b < bestD) [best, bestD, flip] = [i, b, true];
    });
    const [s] = left.splice(best, 1);
    const drawn = flip ? reversed(s) : s;
    out.push(drawn);
    x = drawn.x.at(-1)!, y = drawn.y.at(-1)!;
  }
  return out;
}

/** Pen-up travel in mm along `strokes` in their order: from the origin, between strokes, and back home. */
export function travel(strokes: Stroke[]): number {
  let x = 0, y = 0, d = 0;
  for (const s of strokes.filter((s) => s.x.length > 0)) {
    d += Math.hypot(s.x[0] - x, s.y[0] - y);
    x = s.x.at(-1)!, y = s.y.at(-1)!;
  }
  return d + Math.hypot(x, y);
}

/** Pen-down length in mm. */
export function inkLength(strokes: Stroke[]): number {
  let d = 0;
  for (const s of strokes) {
    for (let i = 1; i < s.x.length; i++) d += Math.hypot(s.x[i] - s.x[i - 1], s.y[i] - s.y[i - 1]);
  }
  return d;
}

/**
 * What plotting `strokes` in order takes: pen-down and pen-up lengths (m) and
 * an estimate of the time (drawing at `feed`, travelling at `travelFeed`,
 * both mm/min, plus two dwells per stroke; a controller's acceleration adds
 * to it).
 */
export function plotStats(strokes: Stroke[], o: { feed: number; travelFeed: number; dwellS: number }) {
  const down = inkLength(strokes), up = travel(strokes), n = strokes.filter((s) => s.x.length > 0).length;
  return {
    strokes: n,
    downM: down / 1000,
    upM: up / 1000,
    minutes: down / o.feed + up / o.travelFeed + (2 * n * o.dwellS) / 60,
  };
}

const mm = (v: number) => v.toFixed(3);

/** G-code for `strokes` (mm, page coordinates, y down), drawn in the given order. */
export function toGcode(strokes: Stroke[], o: GcodeOptions): string {
  const pen = penCommands(o), feed = o.feed ?? 2000;
  if (!(feed > 0)) throw new Error(`feed ${feed}: expected a rate > 0 mm/min`);
  const Y = (y: number) => mm(o.invertY ? y : o.pageHeightMm - y);
  const dwell = pen.dwellS > 0 ? [`G4 P${pen.dwellS}`] : [];
  const out = [
    `(handwriting synthesis, Graves 2013${o.title ? `: ${o.title}` : ""})`,
    "G21 (millimetres)",
    "G90 (absolute)",
    "G17 (XY plane)",
    "G94 (feed per minute)",
    `F${feed}`,
    pen.penUp,
    ...dwell,
  ];
  for (const s of strokes.filter((s) => s.x.length > 0)) {
    out.push(`G0 X${mm(s.x[0])} Y${Y(s.y[0])}`, pen.penDown, ...dwell);
    // a one-point stroke (a dot) is the pen lowered and lifted where it is
    for (let i = 1; i < s.x.length; i++) out.push(`G1 X${mm(s.x[i])} Y${Y(s.y[i])}`);
    out.push(pen.penUp, ...dwell);
  }
  out.push("G0 X0 Y0", "M2 (program end)");
  return out.join("\n") + "\n";
}

/** Strokes back from `toGcode`'s output (mm, y down): what the plotter draws between pen-down and pen-up. */
export function parseGcode(text: string, o: GcodeOptions): Stroke[] {
  const pen = penCommands(o);
  const strokes: Stroke[] = [];
  let x = 0, y = 0, current: Stroke | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\([^)]*\)/g, "").replace(/;.*$/, "").trim();
    if (!line) return;
    if (line === pen.penDown) current = { x: [x], y: [y] };
    else if (line === pen.penUp) {
      if (current) strokes.push(current);
      current = undefined;
    } else if (/^G[01]\b/.test(line)) {
      const X = line.match(/X(-?[\d.]+)/), Yv = line.match(/Y(-?[\d.]+)/);
      if (!X || !Yv) throw new Error(`G-code line ${i + 1}: a move without X and Y: ${line}`);
      x = Number(X[1]), y = o.invertY ? Number(Yv[1]) : o.pageHeightMm - Number(Yv[1]);
      current?.x.push(x), current?.y.push(y);
    } else if (!/^(G21|G90|G17|G94|F[\d.]+|G4 P[\d.]+|M2|M\d+.*)$/.test(line)) {
      throw new Error(`G-code line ${i + 1}: unexpected ${line}`);
    }
  });
  return strokes;
}
