/*
 * The first layer of the synthesis network with its soft window (section 5.1,
 * Fig 12) over a whole sequence, and its backpropagation through time: one
 * call each way instead of ~100 small tfjs ops per pen step. Layer 1 sees the
 * pen input and the previous window vector w_{t−1}; the window is computed
 * from h¹_t:
 *
 *   (α̂, β̂, κ̂) = W_p h¹_t + b_p                       (48)
 *   α = e^α̂,  β = e^β̂,  κ_t = κ_{t−1} + e^κ̂           (49-51)
 *   φ(t, u) = Σ_k α_k exp(−β_k (κ_k − u)²)              (46)
 *   w_t = Σ_u φ(t, u) c_u                               (47)
 *
 * Layouts (row-major; the tfjs reference is lib/models/synthesis.ts):
 *   zx [T, B, 4H] pen part of layer 1's pre-activations (x_t W_x + b);  Ww [V, 4H];  Wh [H, 4H];  peep [3, H]
 *   Wp [H, 3K], bp [3K] the window layer;  chars [B, U, V] the one-hot text (zero rows as padding)
 *   Hs [T, B, H] h¹_1..h¹_T;  C [T+1, B, H] c_0..c_T;  A [T, B, 4H] gate activations
 *   Ws [T, B, V] w_1..w_T;  Phi [T, B, U];  Kap [T, B, K] κ_1..κ_T;  E [T, B, 3K] (α, β, e^κ̂)
 */
#include <stdlib.h>
#include <string.h>

#include "graves_blas.h"
#include "graves_math.h"

void graves_window_forward(int T, int B, int H, int K, int U, int V, const float *zx, const float *Ww,
                           const float *Wh, const float *peep, const float *Wp, const float *bp,
                           const float *chars, const float *h0, const float *c0, const float *kappa0,
                           const float *w0, float *Hs, float *C, float *A, float *Ws, float *Phi, float *Kap,
                           float *E) {
  GRAVES_FLUSH_DENORMALS;
  const int G = 4 * H;
  memcpy(C, c0, sizeof(float) * B * H);
  for (int t = 0; t < T; t++) {
    float *a = A + (size_t)t * B * G, *e = E + (size_t)t * B * 3 * K, *kap = Kap + (size_t)t * B * K;
    float *h = Hs + (size_t)t * B * H, *ws = Ws + (size_t)t * B * V, *phi = Phi + (size_t)t * B * U;
    const float *hPrev = t == 0 ? h0 : h - (size_t)B * H, *wPrev = t == 0 ? w0 : ws - (size_t)B * V;
    const float *kPrev = t == 0 ? kappa0 : kap - (size_t)B * K;
    memcpy(a, zx + (size_t)t * B * G, sizeof(float) * B * G);
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, B, G, V, 1.0f, wPrev, V, Ww, G, 1.0f, a, G); /* + w_{t−1} W_w */
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, B, G, H, 1.0f, hPrev, H, Wh, G, 1.0f, a, G); /* + h_{t−1} W_h */
    for (int b = 0; b < B; b++) {
      cell_step(H, a + (size_t)b * G, peep, C + ((size_t)t * B + b) * H, C + ((size_t)(t + 1) * B + b) * H,
                h + (size_t)b * H);
    }
    for (int b = 0; b < B; b++) memcpy(e + (size_t)b * 3 * K, bp, sizeof(float) * 3 * K);
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, B, 3 * K, H, 1.0f, h, H, Wp, 3 * K, 1.0f, e, 3 * K); /* eq 48 */
    for (int b = 0; b < B; b++) {
      float *eb = e + (size_t)b * 3 * K, *kb = kap + (size_t)b * K, *pb = phi + (size_t)b * U;
      float *wb = ws + (size_t)b * V;
      const float *cb = chars + (size_t)b * U * V;
      for (int j = 0; j < 3 * K; j++) eb[j] = exp_f(eb[j]); /* eqs 49-51 */
      for (int k = 0; k < K; k++) kb[k] = kPrev[(size_t)b * K + k] + eb[2 * K + k];
      memset(wb, 0, sizeof(float) * V);
      for (int u = 0; u < U; u++) {
        float f = 0.0f;
        for (int k = 0; k < K; k++) {
          const float d = kb[k] - (float)(u + 1);
          f += eb[k] * exp_f(-eb[K + k] * d * d); /* eq 46 */
        }
        pb[u] = f;
        const float *cu = cb + (size_t)u * V;
        for (int v = 0; v < V; v++) wb[v] += f * cu[v]; /* eq 47 */
      }
    }
  }
}

/*
 * Backpropagation through time for graves_window_forward. dH [T, B, H] and dW
 * [T, B, V] are the derivatives reaching h¹_t and w_t from the layers above; the
 * final state gets none (truncated segments). Writes dZ [T, B, 4H] (clipped, as
 * in lstm.c: the pen part's gradient), dWw, dWh, dPeep, dWp, dbp, and the
 * initial state's derivatives dh0, dc0 [B, H], dkappa0 [B, K], dw0 [B, V].
 */
void graves_window_backward(int T, int B, int H, int K, int U, int V, float clip, const float *dH,
                            const float *dW, const float *Ww, const float *Wh, const float *peep,
                            const float *Wp, const float *chars, const float *h0, const float *w0,
                            const float *C, const float *A, const float *Hs, const float *Ws, const float *Kap,
                            const float *E, float *dZ, float *dWw, float *dWh, float *dPeep, float *dWp,
                            float *dbp, float *dh0, float *dc0, float *dkappa0, float *dw0) {
  GRAVES_FLUSH_DENORMALS;
  const int G = 4 * H, P = 3 * K;
  float *dP = malloc(sizeof(float) * (size_t)T * B * P), *dphi = malloc(sizeof(float) * U);
  /* dh0, dc0, dkappa0, dw0 carry the derivatives reaching step t+1's inputs through the loop */
  memset(dh0, 0, sizeof(float) * B * H);
  memset(dc0, 0, sizeof(float) * B * H);
  memset(dkappa0, 0, sizeof(float) * B * K);
  memset(dw0, 0, sizeof(float) * B * V);
  memset(dPeep, 0, sizeof(float) * 3 * H);
  for (int t = T - 1; t >= 0; t--) {
    float *dp = dP + (size_t)t * B * P, *dz = dZ + (size_t)t * B * G;
    for (int b = 0; b < B; b++) {
      const size_t r = (size_t)t * B + b;
      const float *eb = E + r * P, *kb = Kap + r * K, *cb = chars + (size_t)b * U * V, *dWb = dW + r * V;
      float *dwb = dw0 + (size_t)b * V, *dkb = dkappa0 + (size_t)b * K, *dpb = dp + (size_t)b * P;
      for (int v = 0; v < V; v++) dwb[v] += dWb[v]; /* dw_t: from the layers above and from step t+1 */
      for (int u = 0; u < U; u++) { /* eq 47 */
        const float *cu = cb + (size_t)u * V;
        float s = 0.0f;
        for (int v = 0; v < V; v++) s += dwb[v] * cu[v];
        dphi[u] = s;
      }
      for (int k = 0; k < K; k++) { /* eq 46, then eqs 49-51 back to (α̂, β̂, κ̂) */
        const float alpha = eb[k], beta = eb[K + k];
        float dAlpha = 0.0f, dBeta = 0.0f, dKappa = 0.0f;
        for (int u = 0; u < U; u++) {
          const float d = kb[k] - (float)(u + 1), g = exp_f(-beta * d * d) * dphi[u];
          dAlpha += g;
          dBeta -= alpha * g * d * d;
          dKappa -= 2.0f * alpha * beta * g * d;
        }
        dkb[k] += dKappa; /* κ_t also feeds κ_{t+1} (eq 51) */
        dpb[k] = dAlpha * alpha, dpb[K + k] = dBeta * beta, dpb[2 * K + k] = dkb[k] * eb[2 * K + k];
      }
    }
    /* dh¹_t = dH_t + (from step t+1, in dh0) + dp W_pᵀ */
    sgemm(ROW_MAJOR, NO_TRANS, TRANS, B, H, P, 1.0f, dp, P, Wp, P, 1.0f, dh0, H);
    for (int b = 0; b < B; b++) {
      const size_t r = (size_t)t * B + b;
      cell_backward(H, clip, A + r * G, peep, C + r * H, C + (r + B) * H, dH + r * H, dh0 + (size_t)b * H,
                    dc0 + (size_t)b * H, dz + (size_t)b * G, dPeep);
    }
    sgemm(ROW_MAJOR, NO_TRANS, TRANS, B, H, G, 1.0f, dz, G, Wh, G, 0.0f, dh0, H); /* to h_{t−1} */
    sgemm(ROW_MAJOR, NO_TRANS, TRANS, B, V, G, 1.0f, dz, G, Ww, G, 0.0f, dw0, V); /* to w_{t−1} */
  }
  /* weight gradients over all T·B rows at once; step 1's inputs are the initial state */
  sgemm(ROW_MAJOR, TRANS, NO_TRANS, H, G, B, 1.0f, h0, H, dZ, G, 0.0f, dWh, G);
  sgemm(ROW_MAJOR, TRANS, NO_TRANS, V, G, B, 1.0f, w0, V, dZ, G, 0.0f, dWw, G);
  if (T > 1) {
    sgemm(ROW_MAJOR, TRANS, NO_TRANS, H, G, (T - 1) * B, 1.0f, Hs, H, dZ + (size_t)B * G, G, 1.0f, dWh, G);
    sgemm(ROW_MAJOR, TRANS, NO_TRANS, V, G, (T - 1) * B, 1.0f, Ws, V, dZ + (size_t)B * G, G, 1.0f, dWw, G);
  }
  sgemm(ROW_MAJOR, TRANS, NO_TRANS, H, P, T * B, 1.0f, Hs, H, dP, P, 0.0f, dWp, P);
  memset(dbp, 0, sizeof(float) * P);
  for (size_t r = 0; r < (size_t)T * B; r++) {
    for (int j = 0; j < P; j++) dbp[j] += dP[r * P + j];
  }
  free(dP);
  free(dphi);
}
