/*
 * Training-step kernels beside the LSTM: the reductions tfjs-wasm runs slowly
 * (it transposes before summing over leading axes) and the paper's RMSProp
 * update (eqs 39-42) as one pass over each parameter instead of ~12 ops.
 * Built and loaded by ../native.ts; all tensors live on the tfjs wasm heap.
 */
#include <math.h>
#include <string.h>

/* out[j] = Σ_i x[i, j] for x [N, M]: a sum over leading axes, row by row. */
void graves_sum_leading(int N, int M, const float *x, float *out) {
  memset(out, 0, sizeof(float) * M);
  for (int i = 0; i < N; i++) {
    const float *row = x + (size_t)i * M;
#pragma omp simd
    for (int j = 0; j < M; j++) out[j] += row[j];
  }
}

/*
 * RMSProp of Graves (2013), eqs 39-42, for n weights:
 *   n ← ℵ n + (1 − ℵ) ε²,   g ← ℵ g + (1 − ℵ) ε,
 *   Δ ← ℶ Δ − ℷ ε / √(n − g² + ℸ),   w ← w + Δ.
 * Writes the new values to the four outputs (inputs are left untouched).
 */
void graves_rmsprop(int n, float aleph, float beth, float gimel, float daleth, const float *w,
                    const float *eps, const float *nIn, const float *gIn, const float *dIn, float *wOut,
                    float *nOut, float *gOut, float *dOut) {
#pragma omp simd
  for (int k = 0; k < n; k++) {
    float e = eps[k];
    float n2 = aleph * nIn[k] + (1.0f - aleph) * e * e;           /* eq 39 */
    float g2 = aleph * gIn[k] + (1.0f - aleph) * e;               /* eq 40 */
    float d2 = beth * dIn[k] - gimel * e / sqrtf(n2 - g2 * g2 + daleth); /* eq 41 */
    nOut[k] = n2, gOut[k] = g2, dOut[k] = d2;
    wOut[k] = w[k] + d2;                                          /* eq 42 */
  }
}
