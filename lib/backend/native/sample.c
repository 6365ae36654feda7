/*
 * One sampling step of the handwriting synthesis network (section 5, Fig 12)
 * for a single line, without gradients: layer 1, the soft window (eqs 46-51),
 * layers 2..N and the output layer (eq 3) in one call instead of ~75 tfjs ops.
 * The same maths as lib/models/synthesis.ts `synthesisForward` with T = B = 1;
 * the weights are read in place on the tfjs wasm heap (see ../native.ts).
 * With K = V = 0 it is the prediction network of section 4 (no window; the
 * table's lstm1.Ww, window.W and window.b entries are NULL).
 *
 * Weight pointers, in this order (row-major, as `synthesisSpecs`):
 *   lstm1.Wx [3, 4H], lstm1.Ww [V, 4H], lstm1.Wh [H, 4H], lstm1.peep [3, H], lstm1.b [4H],
 *   window.W [H, 3K], window.b [3K],
 *   for n = 2..N: lstmn.Wx [3 + H + V, 4H], lstmn.Wh [H, 4H], lstmn.peep [3, H], lstmn.b [4H],
 *   out.W [N·H, Y], out.b [Y]
 * State (updated in place): h [N, H], c [N, H], κ [K], w [V].
 * Output: ŷ [Y], then φ(t, u) for u = 1..U.
 */
#include <stdlib.h>
#include <string.h>

#include "graves_math.h"

/* z += v W for a row vector v [I] and W [I, G]: one streamed pass over W's rows. */
static void add_vecmat(int I, int G, const float *v, const float *W, float *z) {
  for (int i = 0; i < I; i++) {
    const float s = v[i];
    if (s == 0.0f) continue; /* pen-up flags, one-hot windows far from a character */
    const float *row = W + (size_t)i * G;
#pragma omp simd
    for (int j = 0; j < G; j++) z[j] += s * row[j];
  }
}

/* The window, eqs 46-51, from h¹_t: updates κ and w in place and writes φ(t, u) for u = 1..U. */
static void window_step(int H, int K, int U, int V, const int *codes, const float *Wp, const float *bp,
                        const float *h, float *kappa, float *w, float *phi) {
  /* (α̂, β̂, κ̂) = W h¹ + b (eq 48); α = e^α̂, β = e^β̂, κ += e^κ̂ (eqs 49-51) */
  float p[3 * K];
  memcpy(p, bp, sizeof(float) * 3 * K);
  add_vecmat(H, 3 * K, h, Wp, p);
  float alpha[K], beta[K];
  for (int k = 0; k < K; k++) {
    alpha[k] = exp_f(p[k]), beta[k] = exp_f(p[K + k]);
    kappa[k] += exp_f(p[2 * K + k]);
  }
  /* eq 46: φ(t, u) = Σ_k α_k exp(−β_k (κ_k − u)²), u = 1..U;  eq 47: w_t = Σ_u φ(t, u) c_u */
  memset(w, 0, sizeof(float) * V);
  for (int u = 0; u < U; u++) {
    float f = 0.0f;
    for (int k = 0; k < K; k++) {
      const float d = kappa[k] - (float)(u + 1);
      f += alpha[k] * exp_f(-beta[k] * d * d);
    }
    phi[u] = f;
    if (codes[u] >= 0) w[codes[u]] += f;
  }
}

void graves_sample_step(int H, int N, int V, int K, int U, int Y, const int *codes, const float *const *W,
                        const float *x, float *h, float *c, float *kappa, float *w, float *out) {
  GRAVES_FLUSH_DENORMALS;
  const int G = 4 * H;
  float *z = malloc(sizeof(float) * (G > Y ? G : Y));
  float *phi = out + Y;
  /* layer 1 over [x_t, w_{t−1}] (eq 1 with the window of the previous step) */
  memcpy(z, W[4], sizeof(float) * G);
  add_vecmat(3, G, x, W[0], z);
  add_vecmat(V, G, w, W[1], z);
  add_vecmat(H, G, h, W[2], z);
  cell_step(H, z, W[3], c, c, h);
  if (K > 0) window_step(H, K, U, V, codes, W[5], W[6], h, kappa, w, phi);
  /* layers 2..N over [x_t, h^{n−1}_t, w_t] (eq 2 with the window) */
  for (int n = 1; n < N; n++) {
    const float *const *L = W + 7 + 4 * (n - 1);
    float *hn = h + (size_t)n * H, *cn = c + (size_t)n * H;
    memcpy(z, L[3], sizeof(float) * G);
    add_vecmat(3, G, x, L[0], z);
    add_vecmat(H, G, hn - H, L[0] + (size_t)3 * G, z);
    add_vecmat(V, G, w, L[0] + (size_t)(3 + H) * G, z);
    add_vecmat(H, G, hn, L[1], z);
    cell_step(H, z, L[2], cn, cn, hn);
  }
  /* eq 3: ŷ = b_y + Σ_n h^n W_{h^n y} */
  const float *const *O = W + 7 + 4 * (N - 1);
  memcpy(out, O[1], sizeof(float) * Y);
  add_vecmat(N * H, Y, h, O[0], out);
  free(z);
}
