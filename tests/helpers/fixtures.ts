/**
 * Small fixtures the tests generate: tar(.gz) archives, IAM-OnDB-shaped
 * stroke XML and transcriptions, and the location of the real datasets.
 * @module
 */
import { join } from "node:path";
import { exists } from "../../lib/util/paths.ts";

/** The real datasets (GRAVES_DATA, else ../shared/data), or undefined with a visible skip message. */
export function realData(what: string): string | undefined {
  const root = Deno.env.get("GRAVES_DATA") ?? join(Deno.cwd(), "..", "shared", "data");
  if (exists(join(root, what))) return root;
  console.warn(`SKIPPED: real ${what} not found under ${root} (set GRAVES_DATA)`);
  return undefined;
}

/** A ustar archive of `files` (path → text or bytes), gzipped unless `gzip: false`. */
export async function makeTar(files: Record<string, string | Uint8Array>, gzip = true): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === "string" ? enc.encode(content) : content;
    const h = new Uint8Array(512);
    const put = (s: string, off: number) => h.set(enc.encode(s), off);
    put(path, 0);
    put("0000644\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(data.length.toString(8).padStart(11, "0") + "\0", 124);
    put("00000000000\0", 136);
    put("        ", 148);
    h[156] = 48; // '0': regular file
    put("ustar\0", 257);
    put("00", 263);
    const sum = h.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    parts.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const tar = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    tar.set(p, off);
    off += p.length;
  }
  if (!gzip) return tar;
  const gz = new Response(new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip")));
  return new Uint8Array(await gz.arrayBuffer());
}

/** A lineStrokes XML file with the given strokes ([x, y] points). */
export function strokeXml(strokes: [number, number][][]): string {
  const body = strokes.map((s) =>
    `    <Stroke colour="black" start_time="0" end_time="1">\n` +
    s.map(([x, y], i) => `      <Point x="${x}" y="${y}" time="${i}"/>\n`).join("") +
    `    </Stroke>\n`
  ).join("");
  return `<?xml version="1.0" encoding="ISO-8859-1"?>\n<WhiteboardCaptureSession>\n  <StrokeSet>\n${body}  </StrokeSet>\n</WhiteboardCaptureSession>\n`;
}

/** A transcription file whose CSR section holds `lines`. */
export function transcription(lines: string[]): string {
  return `OCR:\r\n\r\nignored\r\n\r\nCSR:\r\n\r\n${lines.join("\r\n")}\r\n`;
}
