/**
 * The figure kinds the paper needs, in one style: learning curves, pen
 * trajectories with pen-ups, heatmaps over time (mixture weights, window
 * weights φ with the characters on the axis), and the density map of the
 * predictive distribution drawn over the written line (Figs 10 and 14).
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { type Figure, plot, stack } from "./render.ts";
import { encodePng, logScale, pngDataUri, rampColour } from "./raster.ts";

/** Common options. */
export interface FigureText {
  title?: string;
  caption?: string;
}

/** One point of a learning curve. */
export interface CurvePoint {
  x: number;
  y: number;
  series: string;
}

/**
 * Learning curves, each series labelled at its last point; `reference` draws
 * the paper's numbers as dashed horizontal rules labelled under their left end
 * (clear of the curves, which start high; the y axis makes room), `changes` marks where
 * training changed (a lower learning rate, weight noise on) with dotted
 * vertical rules labelled down from the top; `scores` marks final scores as labelled dots.
 */
export function curves(
  points: CurvePoint[],
  o: FigureText & {
    x: string;
    y: string;
    reference?: { y: number; label: string }[];
    changes?: { x: number; label: string }[];
    /** Final scores marked as dots, labelled to their left (e.g. the test score of the last checkpoint). */
    scores?: { x: number; y: number; label: string }[];
    height?: number;
    /** Room for the y axis's tick labels and the series' labels at the right (default Plot's, 110). */
    marginLeft?: number;
    marginRight?: number;
  },
): Figure {
  const ref = o.reference ?? [];
  const scores = o.scores ?? [];
  const changes = o.changes ?? [];
  // room under the lowest rule for its label (training curves rarely go below the paper's numbers)
  const ys = [...points.map((p) => p.y), ...ref.map((r) => r.y), ...scores.map((r) => r.y)];
  const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  return plot({
    ...o,
    height: o.height ?? 320,
    grid: true,
    x: { label: o.x },
    y: { label: o.y, ...(ref.length ? { domain: [lo - 0.07 * (hi - lo), hi] } : {}) },
    marginRight: o.marginRight ?? 110,
    ...(o.marginLeft ? { marginLeft: o.marginLeft } : {}),
    marks: [
      // each score a dot, its label higher up (clear of the curves, which end low) joined to it by a thin line
      Plot.link(scores, {
        x1: "x",
        x2: "x",
        y1: "y",
        y2: () => lo + 0.45 * (hi - lo),
        stroke: "black",
        strokeWidth: 0.8,
      }),
      Plot.dot(scores, { x: "x", y: "y", fill: "black", r: 3.5 }),
      Plot.text(scores, {
        x: "x",
        y: () => lo + 0.45 * (hi - lo),
        text: "label",
        dx: -4,
        textAnchor: "end",
        fill: "currentColor",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
      }),
      Plot.line(points, { x: "x", y: "y", stroke: "series" }),
      Plot.text(
        points,
        Plot.selectLast({
          x: "x",
          y: "y",
          z: "series",
          text: "series",
          fill: "series",
          dx: 4,
          textAnchor: "start",
        }),
      ),
      Plot.ruleY(ref, { y: "y", strokeDasharray: "4,3", stroke: "#555" }),
      Plot.text(ref, { // under the rule at the left, where training starts far above it
        y: "y",
        x: () => points.reduce((m, p) => Math.min(m, p.x), Infinity),
        text: "label",
        dx: 4,
        dy: 3,
        lineAnchor: "top",
        textAnchor: "start",
        fill: "currentColor", // Plot leaves text unfilled once a stroke is given
        stroke: "white", // a halo where a curve dips under the rule, painted under the letters
        strokeWidth: 3,
        paintOrder: "stroke",
      }),
      Plot.ruleX(changes, { x: "x", stroke: "#888", strokeDasharray: "2,3" }),
      Plot.text(changes, {
        x: "x",
        frameAnchor: "top",
        text: (d: { label: string }) => d.label.replaceAll(", ", "\n"), // one line per change, right of the rule
        rotate: -90,
        textAnchor: "end",
        lineAnchor: "top",
        dx: 3,
        dy: 4,
        fontSize: 9,
        fill: "#555",
      }),
    ],
  });
}

function strokePoints(strokes: Stroke[]) {
  return strokes.flatMap((s, i) => s.x.map((x, j) => ({ x, y: s.y[j], stroke: i })));
}

/** Handwriting lines (y up), one panel each, stacked; pen-ups separate strokes. */
export function handwriting(
  lines: { strokes: Stroke[]; label?: string }[],
  o: FigureText & { panelHeight?: number } = {},
): Figure {
  const panels = lines.map((l, i) => {
    const pts = strokePoints(l.strokes);
    const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
    const w = Math.max(...xs) - Math.min(...xs) || 1, h = Math.max(...ys) - Math.min(...ys) || 1;
    const height = o.panelHeight ?? Math.min(220, Math.max(60, (760 * h) / w));
    return plot({
      title: i === 0 ? o.title : undefined,
      caption: i === lines.length - 1 ? o.caption : undefined,
      height,
      x: { axis: null, inset: 6 }, // the ink stays clear of the frame: no letter looks cut by the edge
      y: { axis: null, inset: 2 },
      marginLeft: 10,
      marginRight: 10,
      marginTop: l.label ? 26 : 8, // room for the label above the ink
      marks: [
        Plot.line(pts, { x: "x", y: "y", z: "stroke", stroke: "black", strokeWidth: 1.4 }),
        ...(l.label ? [Plot.text([l.label], { frameAnchor: "top-left", dy: -16, fill: "#666" })] : []),
      ],
      aspectRatio: 1,
    });
  });
  return stack(panels);
}

/** A [rows, cols] grid of values as a heatmap over x (columns) and y (rows). */
export interface Grid {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** Column c spans [x0 + c·dx, x0 + (c+1)·dx]; default x0 = 0, dx = 1. */
  x0?: number;
  dx?: number;
  y0?: number;
  dy?: number;
}

function cells(g: Grid) {
  const x0 = g.x0 ?? 0, dx = g.dx ?? 1, y0 = g.y0 ?? 0, dy = g.dy ?? 1;
  const out = [];
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const v = g.values[r * g.cols + c];
      if (v > 0) {
        out.push({ x1: x0 + c * dx, x2: x0 + (c + 1) * dx, y1: y0 + r * dy, y2: y0 + (r + 1) * dy, v });
      }
    }
  }
  return out;
}

/** A heatmap over time × something (mixture weights, window weights). `yTicks` labels rows. */
export function heatmap(
  g: Grid,
  o: FigureText & {
    x: string;
    y: string;
    color?: string;
    yTicks?: string[];
    height?: number;
    scheme?: string;
  },
): Figure {
  const ticks = o.yTicks;
  return plot({
    ...o,
    height: o.height ?? 260,
    x: { label: o.x, domain: [g.x0 ?? 0, (g.x0 ?? 0) + g.cols * (g.dx ?? 1)] }, // the whole time axis, even where values are 0
    y: {
      label: o.y,
      ...(ticks
        ? { ticks: ticks.map((_, i) => i + 0.5), tickFormat: (d: number) => ticks[Math.floor(d)] ?? "" }
        : {}),
      reverse: Boolean(ticks), // text reads top to bottom
    },
    color: { scheme: (o.scheme ?? "Greys") as Plot.ColorScheme, label: o.color }, // no ramp legend: it needs a canvas
    marks: [Plot.rect(cells(g), { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "v", inset: 0 })],
  });
}

/**
 * The predictive density of every pen position drawn over the written line
 * (Figs 10 and 14): `density` is a grid over the ink's extent (y up), summed
 * over time, shaded on a log scale (`decades` orders of magnitude below its
 * maximum fade to white) as one raster image; the ink is drawn on top.
 */
export function densityFigure(
  density: Grid,
  strokes: Stroke[],
  o: FigureText & { decades?: number; width?: number } = {},
): Figure {
  const g = density, x0 = g.x0 ?? 0, y0 = g.y0 ?? 0, dx = g.dx ?? 1, dy = g.dy ?? 1;
  const t = logScale(g.values, o.decades ?? 5);
  // PNG rows run top-down, grid rows bottom-up (y up)
  const uri = pngDataUri(encodePng(g.rows, g.cols, (r, c) => rampColour(t[(g.rows - 1 - r) * g.cols + c])));
  type Scale = (v: number) => number;
  const image = (_i: unknown, scales: { x: Scale; y: Scale }, _v: unknown, _d: unknown, ctx: {
    document: { createElementNS(ns: string, tag: string): { setAttribute(k: string, v: string): void } };
  }) => {
    const el = ctx.document.createElementNS("http://www.w3.org/2000/svg", "image");
    const [left, right] = [scales.x(x0), scales.x(x0 + g.cols * dx)];
    const [top, bottom] = [scales.y(y0 + g.rows * dy), scales.y(y0)];
    for (
      const [k, v] of Object.entries({
        href: uri,
        x: left,
        y: top,
        width: right - left,
        height: bottom - top,
        preserveAspectRatio: "none",
      })
    ) el.setAttribute(k, String(v));
    return el;
  };
  return plot({
    title: o.title,
    caption: o.caption,
    ...(o.width ? { width: o.width } : {}),
    x: { axis: null, domain: [x0, x0 + g.cols * dx] },
    y: { axis: null, domain: [y0, y0 + g.rows * dy] },
    margin: 4,
    aspectRatio: 1, // height follows: the ink keeps its shape
    marks: [
      image as unknown as Plot.Markish,
      Plot.line(strokePoints(strokes), { x: "x", y: "y", z: "stroke", stroke: "#222", strokeWidth: 0.8 }),
    ],
  });
}
