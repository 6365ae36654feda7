/**
 * Pen strokes from any SVG drawing (a tablet app's export, Inkscape, our own
 * pages): every `<path>` with the full path syntax — absolute and relative
 * M L H V C S Q T A Z, implicit repeats — read by `svgpath` (npm, fontello's
 * well-kept parser: it also turns arcs into cubics and applies transforms),
 * the `transform`s of the element and its groups applied, curves flattened
 * to points within a tolerance; `<polyline>`, `<polygon>` and `<line>` too.
 * Anything else that draws (`<circle>`, `<rect>`, `<text>`, `<use>`, …) is
 * refused, naming the element and why: a stroke silently dropped or turned
 * into its first point would prime the network with the wrong hand.
 * @module
 */
import SvgPath from "svgpath";
import { DOMParser } from "linkedom";
import type { Stroke } from "../data/iamondb/strokes.ts";

/** The few DOM members read here (Deno has no DOM types). */
interface El {
  tagName: string;
  parentElement: El | null;
  children: ArrayLike<El>;
  getAttribute(name: string): string | null;
}

/** Elements that carry no pen strokes of their own. */
const CONTAINERS = new Set(["svg", "g", "a", "switch"]);
const IGNORED = new Set([
  "defs",
  "title",
  "desc",
  "metadata",
  "style",
  "script",
  "clippath",
  "mask",
  "pattern",
  "lineargradient",
  "radialgradient",
  "filter",
  "marker",
  "symbol",
  "sodipodi:namedview",
]);

/** Points of a cubic Bézier from (x0,y0), flattened until each piece is within `tol` of the curve. */
function cubic(out: Stroke, p: number[], tol: number, depth = 0): void {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  // distance of the control points from the chord bounds the curve's
  const d = Math.max(
    Math.abs((x1 - x3) * (y0 - y3) - (x0 - x3) * (y1 - y3)),
    Math.abs((x2 - x3) * (y0 - y3) - (x0 - x3) * (y2 - y3)),
  ) / (Math.hypot(x3 - x0, y3 - y0) || 1);
  if (d <= tol || depth > 16) {
    out.x.push(x3), out.y.push(y3);
    return;
  }
  const m = (a: number, b: number) => (a + b) / 2;
  const [ax, ay, bx, by, cx, cy] = [m(x0, x1), m(y0, y1), m(x1, x2), m(y1, y2), m(x2, x3), m(y2, y3)];
  const [dx, dy, ex, ey] = [m(ax, bx), m(ay, by), m(bx, cx), m(by, cy)];
  const [fx, fy] = [m(dx, ex), m(dy, ey)];
  cubic(out, [x0, y0, ax, ay, dx, dy, fx, fy], tol, depth + 1);
  cubic(out, [fx, fy, ex, ey, cx, cy, x3, y3], tol, depth + 1);
}

/** Where an element is, for messages: `<circle id="c1">` or `<rect> #3`. */
function named(el: El, index: number): string {
  const id = el.getAttribute("id");
  return `<${el.tagName.toLowerCase()}${id ? ` id="${id}"` : ""}> (element ${index + 1})`;
}

/** The element's transform, then each group's above it (svgpath applies them in that order). */
function withTransforms(path: ReturnType<typeof SvgPath>, el: El): ReturnType<typeof SvgPath> {
  for (let e: El | null = el; e; e = e.parentElement) {
    const t = e.getAttribute("transform");
    if (t) path = path.transform(t);
  }
  return path;
}

/** The strokes of one path's data: each subpath a stroke, curves flattened within `tol`. */
function pathStrokes(d: string, el: El, tol: number, where: string): Stroke[] {
  const path = withTransforms(SvgPath(d), el);
  const err = (path as unknown as { err?: string }).err; // svgpath records a syntax error here (untyped)
  if (err) throw new Error(`${where}: its path data cannot be read (${err})`);
  const strokes: Stroke[] = [];
  let s: Stroke | undefined, start = [0, 0];
  path.abs().unarc().unshort().iterate((seg: (string | number)[], _i: number, x: number, y: number) => {
    const [cmd, ...v] = seg as [string, ...number[]];
    if (cmd === "M") {
      strokes.push(s = { x: [v[0]], y: [v[1]] });
      start = [v[0], v[1]];
      return;
    }
    if (!s) strokes.push(s = { x: [x], y: [y] });
    if (cmd === "L") s.x.push(v[0]), s.y.push(v[1]);
    else if (cmd === "H") s.x.push(v[0]), s.y.push(y);
    else if (cmd === "V") s.x.push(x), s.y.push(v[0]);
    else if (cmd === "C") cubic(s, [x, y, ...v], tol);
    else if (cmd === "Q") { // a quadratic as the cubic it equals
      const [qx, qy, ex, ey] = v;
      cubic(s, [
        x,
        y,
        x + (2 / 3) * (qx - x),
        y + (2 / 3) * (qy - y),
        ex + (2 / 3) * (qx - ex),
        ey + (2 / 3) * (qy - ey),
        ex,
        ey,
      ], tol);
    } else if (cmd === "Z" || cmd === "z") s.x.push(start[0]), s.y.push(start[1]);
    else throw new Error(`${where}: path command ${cmd} not read`);
  });
  return strokes;
}

/** Numbers of a `points` attribute, in pairs. */
function pointList(v: string, where: string): Stroke {
  const n = v.trim().split(/[\s,]+/).filter(Boolean).map(Number);
  if (n.length % 2 || n.some((x) => !Number.isFinite(x))) {
    throw new Error(`${where}: points="${v.slice(0, 40)}" are not x,y pairs`);
  }
  return { x: n.filter((_, i) => i % 2 === 0), y: n.filter((_, i) => i % 2 === 1) };
}

/**
 * The pen strokes of an SVG document in its user units (y down), in document
 * order. `tolerance` (user units; default 0.1% of the drawing's size) bounds
 * how far a flattened curve may stray from the true one. Throws, naming the
 * element, on anything drawn that is not a stroke.
 */
export function strokesFromSvg(svg: string, tolerance?: number): Stroke[] {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as {
    documentElement: El | null;
  };
  const root = doc.documentElement;
  if (root?.tagName.toLowerCase() === "parsererror") throw new Error("not well-formed XML");
  if (!root || root.tagName.toLowerCase() !== "svg") {
    throw new Error("not an SVG document (no <svg> element)");
  }
  const els: El[] = [];
  const walk = (e: El) => {
    els.push(e);
    if (!IGNORED.has(e.tagName.toLowerCase())) { for (const c of Array.from(e.children)) walk(c); }
  };
  walk(root);
  // without a tolerance, a first pass over the segments' ends sizes the drawing, which sets it
  const read = (tol: number) =>
    els.flatMap((el, i): Stroke[] => {
      const tag = el.tagName.toLowerCase(), where = named(el, i);
      if (CONTAINERS.has(tag) || IGNORED.has(tag)) return [];
      const t = (pts: Stroke) => {
        const d = pts.x.map((x, k) => `${k ? "L" : "M"}${x} ${pts.y[k]}`).join(" ");
        return pathStrokes(d, el, tol, where);
      };
      if (tag === "path") {
        const d = el.getAttribute("d");
        if (!d?.trim()) return [];
        return pathStrokes(d, el, tol, where);
      }
      if (tag === "polyline" || tag === "polygon") {
        const p = pointList(el.getAttribute("points") ?? "", where);
        if (tag === "polygon" && p.x.length) p.x.push(p.x[0]), p.y.push(p.y[0]);
        return p.x.length ? t(p) : [];
      }
      if (tag === "line") {
        const a = ["x1", "y1", "x2", "y2"].map((k) => Number(el.getAttribute(k) ?? 0));
        return t({ x: [a[0], a[2]], y: [a[1], a[3]] });
      }
      throw new Error(
        `${where}: not a pen stroke (read: path, polyline, polygon, line); convert it to a path, or remove it`,
      );
    }).filter((s) => s.x.length > 0);
  if (tolerance !== undefined) return read(tolerance);
  const rough = read(Infinity); // segment ends only: enough to size the drawing
  const xs = rough.flatMap((s) => s.x), ys = rough.flatMap((s) => s.y);
  const size = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1;
  return read(size / 1000);
}
