/*
 * Training-step kernels beside the LSTM: the reductions tfjs-wasm runs slowly
 * (it transposes before summing over leading axes), the paper's RMSProp
 * update (eqs 39-42) as one pass over each parameter instead of ~12 ops, the
 * softmax loss of eq 15 with its gradient (a word network's 10,000-way output
 * made ~8 tfjs passes over [N, K] each way), and the Gaussian draws of weight noise (tfjs draws them one by one in JavaScript).
 * Built and loaded by ../native.ts; all tensors live on the tfjs wasm heap.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "graves_math.h"

/* out[j] = Σ_i x[i, j] for x [N, M]: a sum over leading axes, row by row. */
void graves_sum_leading(int N, int M, const float *x, float *out) {
  GRAVES_FLUSH_DENORMALS;
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
  GRAVES_FLUSH_DENORMALS;
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

/*
 * Softmax cross-entropy (eq 15, log domain) of each row of ŷ [N, K] at its
 * target k_n, in nats, and, where `grad` is not NULL, its derivative:
 *   loss_n = log Σ_k e^{ŷ_nk} − ŷ_{n k_n},
 *   grad_nk = e^{ŷ_nk} / Σ_j e^{ŷ_nj} − [k = k_n]   (= ∂loss_n / ∂ŷ_nk).
 * Targets must lie in [0, K) (the caller checks). A NaN logit gives a NaN loss.
 */
void graves_softmax_xent(int N, int K, const float *y, const int32_t *target, float *loss, float *grad) {
  GRAVES_FLUSH_DENORMALS;
  for (int n = 0; n < N; n++) {
    const float *row = y + (size_t)n * K;
    float m = row[0], s = 0.0f;
#pragma omp simd reduction(max : m)
    for (int k = 0; k < K; k++) m = __builtin_fmaxf(m, row[k]);
    if (grad) {
      float *g = grad + (size_t)n * K;
#pragma omp simd reduction(+ : s)
      for (int k = 0; k < K; k++) s += (g[k] = exp_f(row[k] - m));
      const float inv = 1.0f / s;
#pragma omp simd
      for (int k = 0; k < K; k++) g[k] *= inv;
      g[target[n]] -= 1.0f;
    } else {
#pragma omp simd reduction(+ : s)
      for (int k = 0; k < K; k++) s += exp_f(row[k] - m);
    }
    loss[n] = nan_keep(s, logf(s) + m - row[target[n]]);
  }
}

/* SplitMix64 (Steele et al. 2014): a counter-based generator, so element k's value depends on (seed, k) only. */
static inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/*
 * n draws of N(0, std²) from `seed` (weight noise, section 3.1): Box-Muller on
 * two 24-bit uniforms per pair, u1 in (0, 1] so the logarithm stays finite.
 */
void graves_normal(int n, uint32_t seed, float std, float *out) {
  GRAVES_FLUSH_DENORMALS;
  const float two_pi = 6.28318530717958647692f, scale = 1.0f / 16777216.0f;
  for (int k = 0; k < n; k += 2) {
    const uint64_t x = splitmix64(((uint64_t)seed << 32) | (uint32_t)(k >> 1));
    const float u1 = ((float)(x >> 40) + 1.0f) * scale, u2 = (float)((x >> 16) & 0xffffff) * scale;
    const float r = std * sqrtf(-2.0f * logf(u1));
    out[k] = r * cosf(two_pi * u2);
    if (k + 1 < n) out[k + 1] = r * sinf(two_pi * u2);
  }
}
