/**
 * Initialises the backend as the environment says and prints one JSON line:
 * the report, plus the largest error of a transposed matMul against a direct
 * float64 evaluation. Used by `backend_select_test.ts` in fresh processes.
 */
import * as tf from "../../lib/tf.ts";
import { initBackend } from "../../lib/backend.ts";
import { randomArray } from "./tf.ts";

try {
  const report = await initBackend({ quiet: true });
  const [m, k, n] = [6, 9, 4];
  const a = randomArray(k * m, 1), b = randomArray(n * k, 2); // stored as Aᵀ [k,m], Bᵀ [n,k]
  const got = tf.tidy(() =>
    tf.matMul(tf.tensor2d(a, [k, m]), tf.tensor2d(b, [n, k]), true, true).dataSync().slice()
  );
  let maxErr = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i] * b[j * k + p];
      maxErr = Math.max(maxErr, Math.abs(s - got[i * n + j]));
    }
  }
  console.log(JSON.stringify({ ok: true, report, maxErr }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
