/// <reference lib="dom" />
/**
 * The page: type text and watch it written, in the network's hands or your
 * own. Everything runs here, on the page's tfjs backend (wasm, else webgl,
 * else cpu). `window.graves` exposes the state for the browser tests.
 * @module
 */
import * as tf from "../../lib/tf.ts";
import "@tensorflow/tfjs-backend-wasm";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { normalise, offsetsToStrokes } from "../../lib/data/iamondb/offsets.ts";
import type { Stroke } from "../../lib/data/iamondb/strokes.ts";
import {
  IAM_LINE_HEIGHT,
  parseStyle,
  primeFromStyle,
  type StyleFile,
  styleFromDrawing,
} from "../../lib/data/iamondb/style.ts";
import { penPaths, penSvg, shiftStrokes, yDown } from "../../lib/plots/pen.ts";
import { coverageNote } from "../../lib/data/iamondb/charset.ts";
import { wrapText } from "../../lib/util/text.ts";
import { loadSampleWasm, pageSampler } from "./page_native.ts";
import {
  ADAPT_MAX_POINTS,
  ADAPT_STEPS,
  adaptStepwise,
  slant,
  slantToward,
} from "../../lib/experiments/adapt.ts";
import { loadPageWriter, type PageLine, type PageWriter, unknownCharacters, writeLine } from "./writer.ts";

const $ = <T extends Element = HTMLElement>(id: string) => document.getElementById(id) as Element as T;
const PITCH = 1.3 * IAM_LINE_HEIGHT; // tablet units from one line to the next
const MM_PER_UNIT = 10 / PITCH; // lines 10 mm apart on paper
const FINISH_STROKE = 150, MAX_STEPS_PER_CHAR = 40; // as deno task write
/** The most the page writes at once (the text box's maxlength): about fifty lines. */
const MAX_CHARS = 2000;

/** What the browser tests read. */
const state = {
  backend: "",
  /** "wasm": native/sample.c in WebAssembly; "ops": tfjs ops. */
  sampler: "",
  label: "",
  lines: [] as (PageLine & { text: string })[],
  strokes: [] as Stroke[], // every written stroke, placed on the page, y down
  /** The same strokes by line: each line's own group on the page, so a redraw touches only new strokes. */
  lineStrokes: [] as Stroke[][],
  /** DOM paths appended or replaced since the last write began (what incremental drawing costs). */
  pathsDrawn: 0,
  /** Batches of points drawn since the last write began. */
  updates: 0,
  writing: false,
  stop: false,
  error: "",
  /** The loss before each step of the last adaptation to a style (none: the style primed, or no style). */
  adapted: [] as number[],
};
let writer: PageWriter | undefined;
const ready = init().catch((e) => {
  state.error = String(e);
  $("status").textContent = `Could not load the network: ${e}`;
  throw e;
});
(globalThis as unknown as { graves: unknown }).graves = { state, ready, write, useStyle };

async function init() {
  setWasmPaths("./");
  for (const b of ["wasm", "webgl", "cpu"]) {
    try {
      if (await tf.setBackend(b)) break;
    } catch { /* next */ }
  }
  await tf.ready();
  await loadSampleWasm("sample.wasm");
  state.backend = tf.getBackend();
  state.sampler = pageSampler();
  writer = await loadPageWriter("checkpoint");
  state.label = writer.label;
  const how = state.sampler === "wasm" ? "WebAssembly" : `tfjs ops on ${state.backend}`;
  $("status").textContent = `Ready: ${writer.label}, sampling with ${how}.`;
  $<HTMLButtonElement>("write").disabled = false;
  checkText();
  listStyles();
  return { backend: state.backend, label: state.label };
}

function checkText() {
  if (!writer) return;
  const text = $<HTMLTextAreaElement>("text").value;
  const bad = unknownCharacters(text, writer.charset), note = coverageNote(text, writer.charset);
  const box = $("unknown");
  box.hidden = bad.length === 0 && !note;
  box.textContent = [
    bad.length
      ? `Not among the network's characters, left out when writing: ${bad.map((c) => `“${c}”`).join(" ")}.`
      : "",
    note ? `Note: ${note}.` : "",
  ].filter(Boolean).join(" ");
}
function countText() {
  const n = [...$<HTMLTextAreaElement>("text").value].length;
  $("count").textContent = `${n.toLocaleString("en")} of at most ${
    MAX_CHARS.toLocaleString("en")
  } characters`;
}
$("text").addEventListener("input", () => (checkText(), countText()));
countText();

/**
 * The number in input `id`, clamped to [min, max] (a whole number when
 * `integer`), written back into the box, with a note when it was changed.
 */
function numberInput(id: string, what: string, min: number, max: number, fallback: number, integer = false) {
  const box = $<HTMLInputElement>(id), raw = box.value.trim();
  let v = raw === "" ? NaN : Number(raw);
  if (!Number.isFinite(v)) v = fallback;
  if (integer) v = Math.round(v);
  const clamped = Math.min(max, Math.max(min, v));
  if (String(clamped) !== raw) {
    notes.push(
      `${what} ${raw === "" ? "(empty)" : raw} → ${clamped} (${min} to ${max}${integer ? ", whole" : ""})`,
    );
    box.value = String(clamped);
  }
  return clamped;
}
let notes: string[] = [];
const showNotes = () => $("input-note").textContent = notes.length ? `Changed: ${notes.join("; ")}.` : "";
$("bias").addEventListener("input", () => $("bias-value").textContent = $<HTMLInputElement>("bias").value);

const INK_MM = [0.1, 2] as const; // ink widths a pen has

function inkStyle() {
  notes = notes.filter((n) => !n.startsWith("Ink width"));
  const strokeWidthMm = numberInput("ink-width", "Ink width", INK_MM[0], INK_MM[1], 0.5);
  showNotes();
  return { mmPerUnit: MM_PER_UNIT, strokeWidthMm, colour: $<HTMLInputElement>("ink-colour").value };
}

/** The ink's extent on the page, grown as points arrive (so descenders are never cut off). */
let ink = { x0: 0, x1: 0, y0: 0, y1: 0 };

/** Brings line `i`'s group up to date, touching only its last (growing) stroke and the new ones. */
function drawLine(i: number, style = inkStyle()) {
  const lines = $<SVGGElement>("lines");
  while (lines.childElementCount <= i) {
    lines.append(document.createElementNS("http://www.w3.org/2000/svg", "g"));
  }
  const g = lines.children[i] as SVGGElement, strokes = state.lineStrokes[i] ?? [];
  const from = Math.max(0, g.childElementCount - 1); // the last drawn stroke may have grown
  while (g.childElementCount > from) g.lastElementChild!.remove();
  for (const s of strokes.slice(from)) {
    g.insertAdjacentHTML("beforeend", penPaths([s], style));
    for (let k = 0; k < s.x.length; k++) {
      ink = {
        x0: Math.min(ink.x0, s.x[k]),
        x1: Math.max(ink.x1, s.x[k]),
        y0: Math.min(ink.y0, s.y[k]),
        y1: Math.max(ink.y1, s.y[k]),
      };
    }
  }
  state.pathsDrawn += strokes.length - from;
  fitPage();
}

/** The page's view: every line's band, widened to the ink wherever it reaches (descenders included). */
function fitPage() {
  const rows = Math.max(1, state.lines.length + (state.writing ? 1 : 0)), pad = 0.3 * IAM_LINE_HEIGHT;
  const top = Math.min(-0.9 * IAM_LINE_HEIGHT, ink.y0 - pad);
  const bottom = Math.max((rows - 1) * PITCH + 0.6 * IAM_LINE_HEIGHT, ink.y1 + pad);
  const left = Math.min(-200, ink.x0 - pad), right = Math.max(4000, ink.x1 + 200);
  $("page").setAttribute("viewBox", `${left} ${top} ${right - left} ${bottom - top}`);
}

/** Everything again (new ink width or colour): one group per line, rebuilt. */
function redraw() {
  const style = inkStyle();
  $("lines").innerHTML = "";
  state.lineStrokes.forEach((_, i) => drawLine(i, style));
  fitPage();
}
$("ink-width").addEventListener("change", redraw);
$("ink-colour").addEventListener("input", redraw);

/**
 * A written line as the prime of the next ones: its offsets normalised back to
 * the network's units, after the null first point every line starts with.
 */
function chainPrime(r: PageLine, text: string, w: PageWriter) {
  const offsets = { points: new Float32Array(r.points.length + 3), n: r.steps + 1 };
  offsets.points.set(r.points, 3);
  return { points: normalise(offsets, w.stats), n: offsets.n, text };
}

/** Writes the text box's text, wrapped, line after line; resolves when done or stopped. */
async function write(): Promise<void> {
  if (!writer || state.writing) return;
  const w = writer;
  const text = [...$<HTMLTextAreaElement>("text").value].filter((ch) =>
    ch === "\n" || w.charset.classOf(ch) !== undefined
  ).join("");
  notes = [];
  const width = numberInput("width", "Line width", 10, 80, 40, true);
  const seed = numberInput("seed", "Seed", 0, 2 ** 31 - 1, 1, true);
  const bias = Number($<HTMLInputElement>("bias").value); // a range input: always within 0-2
  const style = inkStyle(); // also clamps the ink width, and says so
  showNotes();
  const lines = [...text].slice(0, MAX_CHARS).join("").split("\n").flatMap((p) =>
    p.trim() ? wrapText(p, width) : []
  );
  if (lines.length === 0) {
    $("status").textContent = "Nothing to write: type some text (letters the network knows) first.";
    return;
  }
  const ready = $("status").textContent;
  const styleName = $<HTMLSelectElement>("style").value;
  const styleFile = styleName ? savedStyles()[styleName] : undefined;
  let prime = styleFile ? primeFromStyle(styleFile, w.stats) : undefined;
  let net: PageWriter = w, slantTo: number | undefined;
  let first: ReturnType<typeof chainPrime> | undefined;
  Object.assign(state, {
    lines: [],
    strokes: [],
    lineStrokes: [],
    pathsDrawn: 0,
    updates: 0,
    writing: true,
    stop: false,
  });
  ink = { x0: 0, x1: 0, y0: 0, y1: 0 };
  $("lines").innerHTML = "";
  $("timings").innerHTML = "";
  setButtons(true);
  $("status").textContent = `Writing ${lines.length} line${lines.length > 1 ? "s" : ""}…`;
  state.adapted = [];
  try {
    if (styleFile && prime && $<HTMLSelectElement>("hand").value === "adapt") {
      if (prime.n > ADAPT_MAX_POINTS) {
        notes.push(
          `“${styleName}” has ${prime.n} pen points: primed with it (adapting takes at most ${ADAPT_MAX_POINTS})`,
        );
        showNotes();
      } else {
        // a few gradient steps on your lines (the CLI's --hand adapt), yielding between them: Stop works
        const it = adaptStepwise(w, prime, { steps: ADAPT_STEPS });
        for (;;) {
          // said before each step (seconds each on the page's backend), then the page draws
          const k = state.adapted.length;
          $("status").textContent = k < ADAPT_STEPS
            ? `Adapting the network to your hand: step ${k + 1} of ${ADAPT_STEPS}…`
            : "Adapted to your hand; writing…";
          await new Promise((res) => setTimeout(res, 0));
          if (state.stop) {
            it.return(undefined as never);
            break;
          }
          const r = it.next();
          if (r.done) {
            net = { ...w, params: r.value.params };
            [prime, slantTo] = [undefined, slant(styleFile.strokes)];
            break;
          }
          state.adapted.push(r.value);
        }
      }
    }
    for (const [i, line] of state.stop ? [] : lines.entries()) {
      const done = state.strokes.length;
      const offsets: number[] = [];
      const r = await writeLine(net, line, {
        bias,
        seed: seed + i,
        prime: prime ?? first, // without a style, every line in the first line's hand (as write --file)
        finishStroke: FINISH_STROKE,
        maxStepsPerChar: MAX_STEPS_PER_CHAR,
        stopped: () => state.stop,
        onPoints: (p) => {
          offsets.push(...p);
          const placed = shiftStrokes(yDown(offsetsToStrokes(Float32Array.from(offsets))), 0, i * PITCH);
          state.strokes.splice(done, state.strokes.length - done, ...placed);
          state.lineStrokes[i] = placed;
          state.updates++;
          drawLine(i, style);
        },
      });
      if (slantTo !== undefined && state.lineStrokes[i]) {
        // the finished line brought to within 3° of your slant, as the CLI does
        const placed = slantToward(state.lineStrokes[i], slantTo);
        state.strokes.splice(done, state.strokes.length - done, ...placed);
        state.lineStrokes[i] = placed;
        drawLine(i, style);
      }
      state.lines.push({ ...r, text: line });
      if (!prime && !first) first = chainPrime(r, line, w);
      const li = document.createElement("li");
      li.textContent = `${r.seconds.toFixed(2)} s, ${r.steps} points, ${line.length} characters${
        r.finished ? "" : " (not finished)"
      }`;
      $("timings").append(li);
      if (state.stop) break;
    }
  } finally {
    if (net !== w) tf.dispose(Object.values(net.params));
    state.writing = false;
    setButtons(false);
    fitPage();
    $("status").textContent = ready;
  }
}

function setButtons(writing: boolean) {
  $<HTMLButtonElement>("write").disabled = writing;
  $<HTMLButtonElement>("stop").disabled = !writing;
  for (const id of ["download-svg", "download-png"]) {
    $<HTMLButtonElement>(id).disabled = writing || state.strokes.length === 0;
  }
}
$("write").addEventListener("click", () => write());
$("stop").addEventListener("click", () => state.stop = true);

function pageSvg(): string {
  return penSvg(state.strokes, inkStyle());
}

function download(name: string, blob: Blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
$("download-svg").addEventListener(
  "click",
  () => download("handwriting.svg", new Blob([pageSvg()], { type: "image/svg+xml" })),
);
$("download-png").addEventListener("click", async () => {
  const svg = pageSvg(), img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const scale = 4; // the SVG's mm at ~400 dpi
  const canvas = Object.assign(document.createElement("canvas"), {
    width: img.width * scale,
    height: img.height * scale,
  });
  const g = canvas.getContext("2d")!;
  g.fillStyle = "white";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  canvas.toBlob((b) => b && download("handwriting.png", b), "image/png");
});

// ---- your own hand: the drawing pad and saved styles

const pad = $<HTMLCanvasElement>("pad"), ctx = pad.getContext("2d")!;
const ROWS = 3, ROW = pad.height / ROWS; // the pad's bands, in canvas px: drawn on the canvas, so they scale with it
let drawn: Stroke[] = [], current: Stroke | undefined;

/** The bands' rules, drawn on the canvas itself: the lines a person sees are the lines strokes are sorted by. */
function drawRules() {
  ctx.save();
  ctx.strokeStyle = "#c8c8e0";
  ctx.lineWidth = 1;
  for (let r = 1; r < ROWS; r++) {
    ctx.beginPath();
    ctx.moveTo(0, r * ROW + 0.5);
    ctx.lineTo(pad.width, r * ROW + 0.5);
    ctx.stroke();
  }
  ctx.restore();
}
drawRules();

/** The band a stroke was written in: where its middle point lies (a tall letter's first point may be above). */
function bandOf(s: Stroke): number {
  const ys = [...s.y].sort((a, b) => a - b);
  return Math.min(ROWS - 1, Math.max(0, Math.floor(ys[ys.length >> 1] / ROW)));
}
const at = (e: PointerEvent) => {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * (pad.width / r.width), (e.clientY - r.top) * (pad.height / r.height)];
};
pad.addEventListener("pointerdown", (e) => {
  try {
    pad.setPointerCapture(e.pointerId); // keeps the stroke when the pen leaves the pad
  } catch { /* a synthetic event's pointer cannot be captured */ }
  const [x, y] = at(e);
  current = { x: [x], y: [y] };
  drawn.push(current);
});
pad.addEventListener("pointermove", (e) => {
  if (!current) return;
  const [x, y] = at(e);
  const n = current.x.length - 1;
  ctx.lineWidth = 2.5;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(current.x[n], current.y[n]);
  ctx.lineTo(x, y);
  ctx.stroke();
  current.x.push(x);
  current.y.push(y);
});
const end = () => current = undefined;
pad.addEventListener("pointerup", end);
pad.addEventListener("pointercancel", end);
$("pad-clear").addEventListener("click", () => {
  drawn = [];
  ctx.clearRect(0, 0, pad.width, pad.height);
  drawRules();
});

function savedStyles(): Record<string, StyleFile> {
  return JSON.parse(localStorage.getItem("graves-styles") ?? "{}");
}

function listStyles(select?: string) {
  const box = $<HTMLSelectElement>("style");
  box.innerHTML = `<option value="">the network's own</option>`;
  for (const name of Object.keys(savedStyles())) box.add(new Option(name, name, false, name === select));
}

/** Saves a style under `name` and selects it for writing; a full browser storage is said in words. */
function useStyle(name: string, style: StyleFile) {
  try {
    localStorage.setItem("graves-styles", JSON.stringify({ ...savedStyles(), [name]: style }));
  } catch (e) {
    throw new Error(
      `this browser's storage for the page is full (${(e as Error).name}): delete a style first`,
    );
  }
  listStyles(name);
}

$("style-delete").addEventListener("click", () => {
  const name = $<HTMLSelectElement>("style").value;
  if (!name) return void ($("pad-message").textContent = "Choose a saved style above to delete it.");
  const all = savedStyles();
  delete all[name];
  localStorage.setItem("graves-styles", JSON.stringify(all));
  listStyles();
  $("pad-message").textContent = `Deleted “${name}”.`;
});

$("pad-save").addEventListener("click", () => {
  try {
    const text = $<HTMLInputElement>("pad-text").value;
    if (!text.trim()) throw new Error("type what you wrote first");
    const rows: Stroke[][] = Array.from({ length: ROWS }, () => []);
    for (const s of drawn) rows[bandOf(s)].push(s);
    const style = styleFromDrawing(rows, text);
    const bad = writer ? unknownCharacters(style.text, writer.charset) : [];
    if (bad.length) throw new Error(`the text has characters the network cannot read: ${bad.join(" ")}`);
    const name = $<HTMLInputElement>("style-name").value.trim() ||
      `style ${Object.keys(savedStyles()).length + 1}`;
    useStyle(name, style);
    $("pad-message").textContent =
      `Saved “${name}”: ${style.strokes.length} strokes. Chosen as the style above.`;
  } catch (e) {
    $("pad-message").textContent = `Not saved: ${(e as Error).message}`;
  }
});
$("style-export").addEventListener("click", () => {
  const name = $<HTMLSelectElement>("style").value;
  if (!name) return void ($("pad-message").textContent = "Choose a saved style above to export it.");
  download(`${name}.json`, new Blob([JSON.stringify(savedStyles()[name])], { type: "application/json" }));
});
$("style-import").addEventListener("change", async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    useStyle(file.name.replace(/\.json$/, ""), parseStyle(await file.text(), file.name));
    $("pad-message").textContent = `Imported “${file.name}”.`;
  } catch (err) {
    $("pad-message").textContent = `Not imported: ${(err as Error).message}`;
  }
});
