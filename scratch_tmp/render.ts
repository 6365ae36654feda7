import { toPng } from "../lib/plots/render.ts";
for (const f of Deno.args) {
  const svg = Deno.readTextFileSync(f);
  Deno.writeFileSync(f.replace(/\.svg$/, ".png"), toPng({ svg, width: 0, height: 0 }, 1));
}
