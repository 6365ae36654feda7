/**
 * lib/util/files.ts: where a command writes is checked before the work; one file is replaced
 * whole; a document's pages replace an earlier set as a set (no stale page, no mix of two), and
 * a write cut off before the swap leaves the old set untouched.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertWritableFile, replaceFileSet, writeFileAtomic } from "../../lib/util/files.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("assertWritableFile: a missing folder, a folder, a wrong extension and a read-only folder are named", async () => {
  const dir = await Deno.makeTempDir();
  assert.throws(() => assertWritableFile(join(dir, "nope", "a.json")), /the folder .*nope does not exist/);
  assert.throws(() => assertWritableFile(dir), /is a folder/);
  assert.throws(() => assertWritableFile(join(dir, "a.txt"), { ext: [".json"] }), /must end with \.json/);
  assert.throws(() => assertWritableFile(`${dir}/`), /a file name is needed/);
  assertWritableFile(join(dir, "a.json"), { ext: [".json"] });
  assert.deepEqual(names(dir), [], "the probe leaves nothing");
  if (Deno.uid() !== 0) { // root writes anywhere
    Deno.chmodSync(dir, 0o500);
    assert.throws(() => assertWritableFile(join(dir, "a.json")), /cannot write in/);
    Deno.chmodSync(dir, 0o700);
  }
});

Deno.test("writeFileAtomic and replaceFileSet: exactly the new set; stale pages go; a cut-off write keeps the old set", async () => {
  const dir = await Deno.makeTempDir();
  writeFileAtomic(join(dir, "x.json"), "1");
  writeFileAtomic(join(dir, "x.json"), "2");
  assert.equal(Deno.readTextFileSync(join(dir, "x.json")), "2");
  const member = (n: string) => /^letter-\d+\.(svg|png)$/.test(n);
  const pages = (n: number, v: string) =>
    new Map(Array.from({ length: n }, (_, i) => [`letter-${i + 1}.svg`, `${v}${i + 1}`] as [string, string]));
  replaceFileSet(dir, "letter", member, pages(3, "old"));
  Deno.writeTextFileSync(join(dir, "letter-notes.txt"), "mine"); // not a page: kept
  replaceFileSet(dir, "letter", member, pages(2, "new"));
  assert.deepEqual(names(dir), ["letter-1.svg", "letter-2.svg", "letter-notes.txt", "x.json"]);
  assert.equal(Deno.readTextFileSync(join(dir, "letter-2.svg")), "new2");
  // a write that fails half-way through rendering its pages (a kill, a full disk) leaves the old set whole
  const failing = new Map<string, string>([["letter-1.svg", "x"]]);
  failing.set("letter-2.svg", undefined as unknown as string); // writing it throws
  assert.throws(() => replaceFileSet(dir, "letter", member, failing));
  assert.equal(Deno.readTextFileSync(join(dir, "letter-2.svg")), "new2");
  replaceFileSet(dir, "letter", member, pages(1, "last")); // and the next write clears what the failed one left
  assert.deepEqual(names(dir), ["letter-1.svg", "letter-notes.txt", "x.json"]);
});
