/*
 * The peephole LSTM of Graves (2013), eqs 7-11, over a whole sequence, and its
 * backpropagation through time: one call each instead of ~15 tfjs ops per step.
 * Built and loaded by ../native.ts; the tensors live on the tfjs wasm heap and
 * the matrix products go to the OpenBLAS that the project already loaded.
 *
 * Layouts (row-major, as the tfjs reference in lib/nn/lstm_sequence.ts):
 *   zx [T, B, 4H]  input part of the gate pre-activations, gates in order i, f, g, o
 *   Wh [H, 4H]     recurrent weights;  peep [3, H] = (w_ci, w_cf, w_co)
 *   Hs [T, B, H]   hidden states h_1..h_T;  C [T+1, B, H] = c_0..c_T
 *   A  [T, B, 4H]  gate activations (i, f, g, o) per step, kept for the backward pass
 */
#include <dlfcn.h>
#include <string.h>

#include "graves_blas.h"
#include "graves_math.h"

sgemm_fn graves_sgemm;

/* Binds cblas_sgemm from the OpenBLAS at `path` (already loaded by the caller). 0 on success. */
int graves_lstm_init(const char *path) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  if (!lib) return 1;
  sgemm = (sgemm_fn)dlsym(lib, "cblas_sgemm");
  return sgemm ? 0 : 2;
}

/* Forward pass, eqs 7-11, for t = 1..T. */
void graves_lstm_forward(int T, int B, int H, const float *zx, const float *Wh, const float *peep,
                         const float *h0, const float *c0, float *Hs, float *C, float *A) {
  GRAVES_FLUSH_DENORMALS;
  const int G = 4 * H;
  memcpy(C, c0, sizeof(float) * B * H);
  for (int t = 0; t < T; t++) {
    float *a = A + (size_t)t * B * G;
    const float *hPrev = t == 0 ? h0 : Hs + (size_t)(t - 1) * B * H;
    memcpy(a, zx + (size_t)t * B * G, sizeof(float) * B * G);
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, B, G, H, 1.0f, hPrev, H, Wh, G, 1.0f, a, G); /* z = zx + h W_h */
    for (int b = 0; b < B; b++) {
      cell_step(H, a + (size_t)b * G, peep, C + ((size_t)t * B + b) * H, C + ((size_t)(t + 1) * B + b) * H,
                Hs + ((size_t)t * B + b) * H);
    }
  }
}

/*
 * Backpropagation through time. dZ [T, B, 4H] receives the (clipped) derivatives of
 * the pre-activations; dWh [H, 4H], dPeep [3, H], dh0 and dc0 [B, H] are written whole.
 * dcT [B, H] is the derivative reaching c_T from outside (NULL: none, as across
 * truncated segments; a one-step op whose c feeds the next step passes it).
 */
void graves_lstm_backward(int T, int B, int H, float clip, const float *dH, const float *dcT,
                          const float *Wh, const float *peep, const float *h0, const float *C,
                          const float *A, const float *Hs, float *dZ, float *dWh, float *dPeep, float *dh0,
                          float *dc0) {
  GRAVES_FLUSH_DENORMALS;
  const int G = 4 * H;
  memset(dh0, 0, sizeof(float) * B * H); /* dh0, dc0 carry dh_{t+1}, dc_{t+1} through the loop */
  if (dcT) memcpy(dc0, dcT, sizeof(float) * B * H);
  else memset(dc0, 0, sizeof(float) * B * H);
  memset(dPeep, 0, sizeof(float) * 3 * H);
  for (int t = T - 1; t >= 0; t--) {
    float *dz = dZ + (size_t)t * B * G;
    for (int b = 0; b < B; b++) {
      const size_t r = (size_t)t * B + b;
      cell_backward(H, clip, A + r * G, peep, C + r * H, C + (r + B) * H, dH + r * H, dh0 + (size_t)b * H,
                    dc0 + (size_t)b * H, dz + (size_t)b * G, dPeep);
    }
    sgemm(ROW_MAJOR, NO_TRANS, TRANS, B, H, G, 1.0f, dz, G, Wh, G, 0.0f, dh0, H); /* dh = dz W_hᵀ */
  }
  /* dW_h = Σ_t h_{t−1}ᵀ dz_t: h_0 for t = 1, then h_1..h_{T−1} against dz_2..dz_T in one product */
  sgemm(ROW_MAJOR, TRANS, NO_TRANS, H, G, B, 1.0f, h0, H, dZ, G, 0.0f, dWh, G);
  if (T > 1) {
    sgemm(ROW_MAJOR, TRANS, NO_TRANS, H, G, (T - 1) * B, 1.0f, Hs, H, dZ + (size_t)B * G, G, 1.0f, dWh, G);
  }
}
