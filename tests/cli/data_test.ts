/** `deno task data` on a fixture data folder: a summary row per dataset; what is missing is named, with how to get it. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { makeTar, strokeXml, transcription } from "../helpers/fixtures.ts";

async function runData(dataDir: string) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", "data.ts")],
    env: { GRAVES_DATA: dataDir, GRAVES_CACHE: join(dataDir, "cache"), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { ok: r.success, out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr) };
}

Deno.test("deno task data: summarises what it finds and says how to get what it does not", async () => {
  const dir = await Deno.makeTempDir();
  Deno.mkdirSync(join(dir, "enwik8"), { recursive: true });
  Deno.writeTextFileSync(join(dir, "enwik8", "enwik8"), "<mediawiki>[[a]] b</mediawiki>\n".repeat(50));
  Deno.mkdirSync(join(dir, "iamondb"), { recursive: true });
  Deno.writeFileSync(
    join(dir, "iamondb", "lineStrokes-all.tar.gz"),
    await makeTar({ "lineStrokes/a01/a01-000/a01-000x-01.xml": strokeXml([[[0, 0], [1, 2]]]) }),
  );
  Deno.writeFileSync(
    join(dir, "iamondb", "ascii-all.tar.gz"),
    await makeTar({ "ascii/a01/a01-000/a01-000x.txt": transcription(["hi"]) }),
  );
  const r = await runData(dir);
  assert.equal(r.ok, false, "PTB is missing: the task must fail");
  assert.match(r.out, /PTB .*NOT AVAILABLE: .*ptb\.train\.txt: missing: run `deno task data --download`/);
  assert.match(r.out, /enwik8 .*PREFIX of 1,550 bytes/);
  assert.match(r.out, /IAM-OnDB .*1 paired/);
  assert.match(r.out, /1 problem\(s\)/);
});
