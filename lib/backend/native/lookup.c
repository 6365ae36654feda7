/*
 * The input lookup of the word network (section 3.1: W_x x_t for a one-hot
 * x_t is row x_t of W_x): rows gathered by symbol code, and the gradient
 * scattered back onto those rows. tfjs-wasm's Gather walks every element
 * through its strides (~150 ms for 800 rows of 4,000 here); these copy and
 * add whole rows. Built and loaded by ../native.ts; tensors live on the wasm
 * heap. Codes must lie in [0, K) (the caller checks).
 */
#include <stdint.h>
#include <string.h>

#include "graves_math.h"

/* out[n, :] = W[codes[n], :] for n < N; W [K, D], out [N, D]. */
void graves_gather_rows(int N, int D, const float *W, const int32_t *codes, float *out) {
  for (int n = 0; n < N; n++) memcpy(out + (size_t)n * D, W + (size_t)codes[n] * D, sizeof(float) * D);
}

/* dW[k, :] = Σ_{n: codes[n] = k} dy[n, :]; dW [K, D] (zeroed here), dy [N, D]. */
void graves_scatter_rows(int N, int D, int K, const float *dy, const int32_t *codes, float *dW) {
  GRAVES_FLUSH_DENORMALS;
  memset(dW, 0, sizeof(float) * (size_t)K * D);
  for (int n = 0; n < N; n++) {
    float *to = dW + (size_t)codes[n] * D;
    const float *from = dy + (size_t)n * D;
#pragma omp simd
    for (int j = 0; j < D; j++) to[j] += from[j];
  }
}
