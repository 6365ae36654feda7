/**
 * `deno task write` and `deno task eval` end to end on tiny checkpoints:
 * files written, unknown characters named, the whole validation set scored
 * (synthesis, Wikipedia, PTB), a checkpoint from another enwik8 copy refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { initParams } from "../../lib/nn/params.ts";
import { SYNTHESIS_TINY, synthesisSpecs } from "../../lib/models/synthesis.ts";
import { saveCheckpoint } from "../../lib/runs/checkpoint.ts";
import { PAPER_CHARSET } from "../../lib/data/iamondb/charset.ts";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { loadEnwik8 } from "../../lib/data/enwik8.ts";
import { loadPtb } from "../../lib/data/ptb.ts";
import {
  PTB_DYNAMIC_LR,
  PTB_DYNAMIC_LR_BY_STREAMS,
  PTB_DYNAMIC_RMS,
} from "../../lib/experiments/ptb_score.ts";
import { textSpecs } from "../../lib/models/text.ts";
import { disposeWriter, loadWriter, write, type Writer } from "../../lib/experiments/write.ts";
import { shippedDir } from "../../lib/runs/run.ts";
import { sampleSynthesis } from "../../lib/models/synthesis_sample.ts";
import { encodeText } from "../../lib/data/iamondb/charset.ts";
import { Rng } from "../../lib/util/rng.ts";

await useProjectBackend();

async function tinyCheckpoint(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const vars = initParams(synthesisSpecs(SYNTHESIS_TINY), 3);
  const tensors = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`param/${k}`, v]));
  await saveCheckpoint(dir, 1, tensors, {
    profile: { name: "test", model: SYNTHESIS_TINY },
    data: {
      stats: { mean: [5, 0], std: [20, 20], count: 1 },
      charset: { name: PAPER_CHARSET.name, symbols: PAPER_CHARSET.symbols },
    },
    epochs: 0,
    seconds: 0,
  }, { float16: true });
  tf.dispose(Object.values(vars));
  return dir;
}

/** Runs `lib/cli/<script>` with `args` in its own process (its results go to temporary files: a dirty tree is fine). */
async function runCli(script: string, args: string[]) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", script), ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", GRAVES_ALLOW_DIRTY: "1" },
  }).output();
  return { ok: r.success, out: new TextDecoder().decode(r.stdout), err: new TextDecoder().decode(r.stderr) };
}
const runWrite = (args: string[]) => runCli("write.ts", args);
const runEval = (args: string[]) => runCli("eval.ts", args);

Deno.test("deno task write: samples, saves SVG and PNG, reports timing", async () => {
  const ck = await tinyCheckpoint();
  const out = join(await Deno.makeTempDir(), "hello.svg");
  const r = await runWrite([
    "hello world",
    "--bias",
    "1",
    "--samples",
    "2",
    "--checkpoint",
    ck,
    "--out",
    out,
  ]);
  assert.ok(r.ok, r.err);
  assert.match(r.out, /sample 1: \d+ pen steps for 11 characters in [\d.]+ s/);
  // Each sample the step cap ended is flagged, and the summary counts them.
  const flagged = r.out.split("\n").filter((l) => l.endsWith("(unfinished)")).length;
  assert.match(r.out, new RegExp(`^${flagged} of 2 samples unfinished`, "m"));
  assert.match(Deno.readTextFileSync(out), /^<svg/);
  assert.ok(Deno.statSync(out.replace(/\.svg$/, ".png")).size > 1000);
});

Deno.test("write: an unfinished sample is drawn again with seed + 1000·r, at most `redraws` times", async () => {
  const w = await loadWriter(await tinyCheckpoint());
  // A 5-step cap ends every draw before the stopping rule: all redraws are spent.
  const capped = write(w, "hello world", { seed: 7, maxSteps: 5, redraws: 2 });
  assert.ok(!capped.finished && capped.redrawn === 2, `redrawn ${capped.redrawn}`);
  const third = write(w, "hello world", { seed: 2007, maxSteps: 5 });
  assert.deepEqual(capped.strokes, third.strokes, "the last draw is the one with seed + 1000·2");
  assert.equal(third.redrawn, 0, "no redraws unless asked");
  // A draw the stopping rule ends is kept.
  const first = write(w, "a", { seed: 7, maxSteps: 400 });
  assert.ok(first.finished, "the tiny network's window passes one character within 400 steps");
  const kept = write(w, "a", { seed: 7, maxSteps: 400, redraws: 2 });
  assert.ok(kept.redrawn === 0 && kept.steps === first.steps, `redrawn ${kept.redrawn}`);
  disposeWriter(w);
});

/** A test on the shipped synthesis checkpoint (skipped without one), writing "hello world". */
function shippedWriterTest(name: string, fn: (w: Writer, codes: Int32Array) => void) {
  Deno.test({
    name,
    ignore: !exists(join(shippedDir("synthesis"), "latest.json")),
    async fn() {
      const w = await loadWriter(shippedDir("synthesis"));
      fn(w, encodeText("hello world", w.charset));
      disposeWriter(w);
    },
  });
}

shippedWriterTest(
  "finishing the last stroke: the rule's sample, then points until the pen lifts (at most the limit)",
  (w, codes) => {
    for (const seed of [1, 2, 3]) {
      const draw = (finishStroke: number) =>
        sampleSynthesis(w.params, w.config, codes, new Rng(seed), {
          bias: 1,
          maxSteps: 600,
          finishStroke,
          unbiasedFirstStroke: true, // biased from the first point, the shipped network can stall (README)
        });
      const rule = draw(0), done = draw(30);
      assert.ok(rule.finished && rule.steps < 600, "the stopping rule fired");
      const kept = done.dropped ? done.points.length : rule.points.length; // a stroke begun at the rule is dropped
      assert.deepEqual(
        done.points.subarray(0, kept),
        rule.points.subarray(0, kept),
        "the same sample up to the rule",
      );
      const extra = done.steps - rule.steps, lifted = done.points[done.points.length - 1] === 1;
      assert.ok(
        extra <= 30 && (lifted || extra === 30),
        `seed ${seed}: ${extra} more points, pen lifted ${lifted}`,
      );
      // the flags: cut = the line ends with the pen down; cutByRule = it did so where the rule fired
      assert.equal(done.cut, !lifted);
      assert.equal(rule.cut, rule.points[rule.points.length - 1] !== 1);
      assert.equal(done.cutByRule, rule.cut, "the rule fired at the same point in both draws");
    }
  },
);

shippedWriterTest(
  "biasWeights false: the shipped network at b = 1 finishes every line (the stopping rule fires)",
  (w, codes) => {
    const draw = (seed: number, biasWeights: boolean) =>
      sampleSynthesis(w.params, w.config, codes, new Rng(seed), { bias: 1, maxSteps: 480, biasWeights });
    const unfinished = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => !draw(seed, false).finished);
    assert.deepEqual(unfinished, [], "seeds whose pen stalled with σ-only bias");
    assert.notDeepEqual(draw(1, false).points, draw(1, true).points, "the option reaches the sampler");
  },
);

shippedWriterTest(
  "unbiasedFirstStroke: the first stroke is the unbiased sample's, the bias applies after the first pen lift",
  (w, codes) => {
    const draw = (bias: number, unbiasedFirstStroke: boolean) =>
      sampleSynthesis(w.params, w.config, codes, new Rng(4), { bias, maxSteps: 300, unbiasedFirstStroke })
        .points;
    const plain = draw(0, false), late = draw(1, true), early = draw(1, false);
    const lift = Array.from({ length: plain.length / 3 }, (_, t) => plain[3 * t + 2]).indexOf(1);
    assert.ok(lift > 0, "the unbiased sample lifts the pen (between the words at the latest)");
    const head = 3 * (lift + 1);
    assert.deepEqual(late.subarray(0, head), plain.subarray(0, head), "first stroke drawn without bias");
    assert.notDeepEqual(late.subarray(head, head + 30), plain.subarray(head, head + 30), "then biased");
    assert.notDeepEqual(
      early.subarray(0, head),
      plain.subarray(0, head),
      "the paper's bias from the first point",
    );
  },
);

Deno.test("deno task write: characters outside the encoding get a clear message", async () => {
  const ck = await tinyCheckpoint();
  const r = await runWrite(["café", "--checkpoint", ck, "--out", join(await Deno.makeTempDir(), "x.svg")]);
  assert.equal(r.ok, false);
  assert.match(r.err, /characters outside the paper encoding: "é"/);
});

Deno.test("deno task write: a missing checkpoint says how to make one", async () => {
  const r = await runWrite(["hi", "--checkpoint", await Deno.makeTempDir()]);
  assert.equal(r.ok, false);
  assert.match(r.err, /no checkpoint in .*deno task train writer/);
});

Deno.test("deno task eval synthesis: scores all validation lines of a checkpoint into --out", async () => {
  const ck = await tinyCheckpoint();
  const out = join(await Deno.makeTempDir(), "eval.json");
  const r = await runEval(["synthesis", "--checkpoint", ck, "--out", out]);
  assert.ok(r.ok, r.err);
  const e = JSON.parse(Deno.readTextFileSync(out));
  assert.equal(e.step, 1);
  assert.equal(e.valid_lines_scored, 1438); // the paper's validation set
  assert.ok(Number.isFinite(e.valid_nats_per_sequence) && e.valid_sse_per_point > 0, JSON.stringify(e));
  assert.equal(
    e.record.command,
    `deno task eval synthesis --checkpoint ${ck} --out ${out}`,
    "the exact command",
  );
});

Deno.test("deno task eval ptb --split valid: the whole validation set as one stream or 32, static and dynamic (plain steps or the RMS rule); other splits and unswept stream counts refused", async () => {
  const data = loadPtb();
  const model = { symbols: data.vocab.size, cells: 8, layers: 1, clip: 1 };
  const dir = await Deno.makeTempDir();
  const vars = initParams(textSpecs(model), 2);
  const tensors = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`param/${k}`, v]));
  await saveCheckpoint(dir, 1, tensors, { profile: { name: "test", model }, epochs: 0, seconds: 0 });
  tf.dispose(Object.values(vars));
  const out = join(await Deno.makeTempDir(), "eval.json");
  // By default 32 zero-started streams: whole 32 × 100 blocks, at their rate; the record the exact command.
  const r = await runEval(["ptb", "--checkpoint", dir, "--split", "valid", "--out", out]);
  assert.ok(r.ok, r.err);
  assert.match(r.out, new RegExp(`scoring ${data.valid.length} validation characters`));
  const e = JSON.parse(Deno.readTextFileSync(out));
  assert.ok(e.valid_symbols_scored > data.valid.length - 3200 && e.valid_symbols_scored % 3200 === 0);
  assert.ok(e.valid_bpc_static > 0 && e.valid_bpc_dynamic > 0, JSON.stringify(e));
  assert.deepEqual([e.streams, e.dynamic_lr], [32, PTB_DYNAMIC_LR]);
  assert.equal(e.test_bpc_static, undefined, "the test set is not looked at");
  assert.equal(e.record.command, `deno task eval ptb --checkpoint ${dir} --split valid --out ${out}`);
  assert.equal(e.streams, 32);
  // One stream, as the paper: all but the last partial 100-character segment, at the one-stream rate.
  const r1 = await runEval(["ptb", "--checkpoint", dir, "--split", "valid", "--streams", "1", "--out", out]);
  assert.ok(r1.ok, r1.err);
  const e1 = JSON.parse(Deno.readTextFileSync(out));
  assert.equal(e1.valid_symbols_scored, Math.floor((data.valid.length - 1) / 100) * 100);
  assert.deepEqual([e1.streams, e1.dynamic_lr], [1, PTB_DYNAMIC_LR_BY_STREAMS[1]]);
  assert.notEqual(e1.valid_bpc_static, e.valid_bpc_static, "zero-started streams score differently");
  assert.equal(
    e1.record.command,
    `deno task eval ptb --checkpoint ${dir} --split valid --streams 1 --out ${out}`,
  );
  // Krause et al.'s RMS rule instead of plain steps: one stream only, its settings recorded, named in the command.
  const valid = (...args: string[]) => runEval(["ptb", "--checkpoint", dir, "--split", "valid", ...args]);
  const evalCmd = `deno task eval ptb --checkpoint ${dir} --split valid`; // records keep the exact command
  const rr = await valid("--streams", "1", "--dynamic", "rms", "--prefix", "5000", "--out", out);
  assert.ok(rr.ok, rr.err);
  const er = JSON.parse(Deno.readTextFileSync(out));
  assert.deepEqual([er.dynamic, er.dynamic_rms, er.dynamic_lr], ["rms", PTB_DYNAMIC_RMS, undefined]);
  assert.ok(er.valid_bpc_dynamic > 0 && er.valid_symbols_scored === 4900, JSON.stringify(er));
  assert.equal(er.record.command, `${evalCmd} --streams 1 --dynamic rms --prefix 5000 --out ${out}`);
  // its step and decay can be swept, and the record says so
  const sweep = ["--streams", "1", "--dynamic", "rms", "--eta", "0", "--lambda", "0", "--prefix", "5000"];
  const rs = await valid(...sweep, "--out", out);
  assert.ok(rs.ok, rs.err);
  const es = JSON.parse(Deno.readTextFileSync(out));
  assert.deepEqual(es.dynamic_rms, { ...PTB_DYNAMIC_RMS, eta: 0, lambda: 0 });
  assert.equal(
    es.record.command,
    `${evalCmd} --streams 1 --dynamic rms --eta 0 --lambda 0 --prefix 5000 --out ${out}`,
  );
  assert.ok(
    Math.abs(es.valid_bpc_dynamic - es.valid_bpc_static) < 1e-4,
    "no step, no decay: dynamic scores as static",
  );
  for (const flag of ["--eta", "--lambda"]) {
    const r = await valid("--streams", "1", flag, "1e-3");
    assert.equal(r.ok, false);
    assert.match(r.err, new RegExp(`^${flag} 1e-3: with --dynamic rms only`));
  }
  for (
    const bad of [["--dynamic", "rms"], ["--streams", "1", "--dynamic", "adam"], [
      "--streams",
      "1",
      "--dynamic",
      "rms",
      "--dynamic-lr",
      "1e-3",
    ]]
  ) {
    const r = await valid(...bad);
    assert.equal(r.ok, false, bad.join(" "));
    assert.match(r.err, /^--dynamic (rms|adam): sgd .* or rms/);
  }
  // A prefix, for quick sweeps: only its characters scored, said in the record; never into the default files.
  const rp = await runEval([
    "ptb",
    "--checkpoint",
    dir,
    "--split",
    "valid",
    "--prefix",
    "5000",
    "--out",
    out,
  ]);
  assert.ok(rp.ok, rp.err);
  const ep = JSON.parse(Deno.readTextFileSync(out));
  assert.equal(ep.valid_symbols_scored, 3200);
  assert.ok(ep.record.command.endsWith("--split valid --prefix 5000 --out " + out), ep.record.command);
  assert.equal(ep.record.profile, "the first 5000 characters of the validation set");
  const noOut = await runEval(["ptb", "--checkpoint", dir, "--split", "valid", "--prefix", "5000"]);
  assert.equal(noOut.ok, false);
  assert.match(noOut.err, /^--prefix 5000: .*with --out file/);
  // A stream count without a rate chosen for it needs --dynamic-lr; nonsense counts are refused.
  for (const n of ["3", "0", "1.5"]) {
    const bad = await runEval(["ptb", "--checkpoint", dir, "--split", "valid", "--streams", n]);
    assert.equal(bad.ok, false);
    assert.match(
      bad.err,
      new RegExp(`^--streams ${n}: ${n === "3" ? "no dynamic-evaluation rate .*give --dynamic-lr" : ""}`),
    );
  }
  for (const [what, split] of [["ptb", "train"], ["handwriting", "test"]]) {
    const bad = await runEval([what, "--checkpoint", dir, "--split", split]);
    assert.equal(bad.ok, false);
    assert.match(bad.err, new RegExp(`^--split ${split}: `));
  }
});

Deno.test("deno task eval wikipedia: the whole validation split, static and dynamic; another copy's byte table refused", async () => {
  const data = loadEnwik8();
  const model = { symbols: data.size, cells: 8, layers: 1, clip: 1 };
  const save = async (bytes: number[]) => {
    const dir = await Deno.makeTempDir();
    const vars = initParams(textSpecs(model), 2);
    const tensors = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`param/${k}`, v]));
    await saveCheckpoint(dir, 1, tensors, { profile: { name: "test", model }, bytes, epochs: 0, seconds: 0 });
    tf.dispose(Object.values(vars));
    return dir;
  };
  const out = join(await Deno.makeTempDir(), "eval.json");
  const r = await runEval(["wikipedia", "--checkpoint", await save(Array.from(data.bytes)), "--out", out]);
  assert.ok(r.ok, r.err);
  const e = JSON.parse(Deno.readTextFileSync(out));
  assert.equal(e.valid_bytes_dynamic, data.valid.length, "dynamic evaluation scores every validation byte");
  assert.ok(e.valid_bytes_scored > data.valid.length - 3200, "static scores whole 32 × 100 blocks");
  assert.ok(
    e.valid_bpc_static > 0 && e.valid_bpc_dynamic > 0 && e.data_bytes === data.dataBytes,
    JSON.stringify(e),
  );
  const other = await runEval(["wikipedia", "--checkpoint", await save(Array.from(data.bytes).reverse())]);
  assert.equal(other.ok, false);
  assert.match(other.err, /byte table .* differs from this enwik8 copy/);
});
