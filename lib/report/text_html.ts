/**
 * Text as HTML for notebooks and results: monospace with the markup visible,
 * and "surprise" shading — each character's background as dark as the bits
 * the model needed for it.
 * @module
 */
import { jupyter } from "../util/jupyter.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A monospace block that shows the text exactly (XML markup visible, lines wrapped). */
export function monospaceHtml(text: string, title?: string): string {
  return (title ? `<h4>${esc(title)}</h4>` : "") +
    `<pre style="white-space: pre-wrap; font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; ` +
    `line-height: 1.35; max-width: 100ch">${esc(text)}</pre>`;
}

/** Texts side by side as monospace columns (real beside generated), each under its heading. */
export function columnsHtml(columns: { heading: string; text: string }[], title?: string): string {
  const cols = columns.map((c) =>
    `<div><h4>${esc(c.heading)}</h4><pre style="white-space: pre-wrap; font-family: 'DejaVu Sans Mono', ` +
    `monospace; font-size: 12px; line-height: 1.35">${esc(c.text)}</pre></div>`
  ).join("");
  return (title ? `<h3>${esc(title)}</h3>` : "") +
    `<div style="display: grid; grid-template-columns: repeat(${columns.length}, minmax(0, 100ch)); gap: 24px">${cols}</div>`;
}

/** Characters shaded by surprise: bits[i] is the cost of chars[i]; `maxBits` maps to full red. */
export function surpriseHtml(chars: string[], bits: ArrayLike<number>, maxBits = 8, title?: string): string {
  const spans = chars.map((ch, i) => {
    const a = Math.min(1, Math.max(0, bits[i] / maxBits));
    return `<span title="${bits[i].toFixed(2)} bits" style="background: rgba(220, 40, 30, ${a.toFixed(2)})">${
      esc(ch)
    }</span>`;
  }).join("");
  return (title ? `<h4>${esc(title)}</h4>` : "") +
    `<pre style="white-space: pre-wrap; font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; max-width: 100ch">${spans}</pre>` +
    `<p style="font-size: 11px">Shading: white 0 bits … red ≥ ${maxBits} bits per byte.</p>`;
}

/** Shows HTML in a notebook (plain text elsewhere). */
export async function showHtml(html: string, plain: string): Promise<void> {
  const jup = jupyter();
  if (jup) await jup.display({ "text/html": html, "text/plain": plain }, { raw: true });
  else console.log(plain);
}

/** Shows text as it is (monospace, wrapped, under `title`) in a notebook; prints it elsewhere. */
export async function showText(text: string, title?: string): Promise<void> {
  await showHtml(monospaceHtml(text, title), (title ? `${title}\n\n` : "") + text);
}
