/**
 * Test helpers: run a computation on a named backend, compare arrays, and
 * assert that a block leaks no tensors.
 * @module
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend.ts";

/** Initialise the project's backend once (quietly); returns its project name. */
export async function useProjectBackend(): Promise<string> {
  tf.env().set("PROD", true); // silences the cpu backend's "install tfjs-node" banner
  const r = await initBackend({ quiet: true });
  return r.name;
}

/** Runs `fn` with `name` as the active backend and returns plain arrays. */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend(before);
  }
}

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32). */
export function randomArray(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Asserts |a − b| ≤ atol + rtol·|b| elementwise, naming the first mismatch. */
export function assertClose(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  { atol = 1e-5, rtol = 1e-4, what = "" } = {},
): void {
  assert.equal(a.length, b.length, `${what}: lengths ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(b[i]);
    if (!(Math.abs(a[i] - b[i]) <= tol)) {
      assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]} (tolerance ${tol})`);
    }
  }
}

/** Asserts that `fn` leaves the number of live tensors unchanged. */
export function assertNoLeak<T>(fn: () => T, what = "block"): T {
  const before = tf.memory().numTensors;
  const out = fn();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `${what} leaked ${after - before} tensors`);
  return out;
}
