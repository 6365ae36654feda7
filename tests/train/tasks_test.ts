/** lib/train/tasks.ts: the text stream task's state resets. */
import * as assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { initParams } from "../../lib/nn/params.ts";
import { textSpecs } from "../../lib/models/text.ts";
import { StreamBatcher } from "../../lib/data/streams.ts";
import { TextStreamTask } from "../../lib/train/tasks.ts";
import { cfg, codes } from "../helpers/train.ts";

await useProjectBackend();

/** The loss of segment 2 after stepping a task (reset every `resetEvery` segments) through segments 0 and 1. */
function thirdSegmentLoss(resetEvery: number, p: Record<string, tf.Variable>): number {
  const task = new TextStreamTask(cfg, new StreamBatcher(codes, 4, 24), resetEvery);
  for (let k = 0; k < 2; k++) {
    tf.dispose(tf.tidy(() => task.loss(p))); // inside a tidy, as trainStep calls it
    task.advance(false);
  }
  const l = tf.tidy(() => task.loss(p));
  const v = l.dataSync()[0];
  tf.dispose(l);
  task.advance(false);
  tf.dispose(Object.values(task.stateTensors()));
  return v;
}

Deno.test("TextStreamTask: resetEvery zeroes the carried state at its segments, never between them", () => {
  const n0 = tf.memory().numTensors, p = initParams(textSpecs(cfg), 5);
  const every2 = thirdSegmentLoss(2, p), every1 = thirdSegmentLoss(1, p), never = thirdSegmentLoss(0, p);
  // reset after segment 1 (every 2) and after each segment (every 1): segment 2 starts from zeros in both
  assert.equal(every2, every1);
  // carried state: segment 2 starts from segment 1's state, so its loss differs
  assert.notEqual(every2, never);
  tf.dispose(Object.values(p));
  assert.equal(tf.memory().numTensors, n0, "the tasks leaked tensors");
});
