/* Branch-free float maths shared by the native kernels (loops that call them vectorise). */
#ifndef GRAVES_MATH_H
#define GRAVES_MATH_H
#include <stdint.h>
#include <string.h>

/*
 * Subnormal floats flushed to zero (FTZ) and read as zero (DAZ) for the rest
 * of the enclosing function; the caller's mode comes back on return. Deep in
 * backpropagation through time, gradients that shrink through forget gates
 * underflow into the subnormal range, where the x86 CPU measured here takes
 * ~50× longer per operation (microcode assists): a PTB training step slowed
 * from 0.75 s to over 5 s within 60 steps of a fresh run. TensorFlow's own kernels run the same way (ScopedFlushDenormal);
 * JavaScript outside these calls keeps IEEE subnormals. A no-op where SSE is
 * absent (there the hardware's default stands).
 */
#if defined(__SSE__)
#include <xmmintrin.h>
static inline void graves_mxcsr_restore(const unsigned *mode) { _mm_setcsr(*mode); }
#define GRAVES_FLUSH_DENORMALS \
  const unsigned graves_mxcsr_ __attribute__((cleanup(graves_mxcsr_restore))) = _mm_getcsr(); \
  _mm_setcsr(graves_mxcsr_ | 0x8040) /* FTZ (bit 15) | DAZ (bit 6) */
#else
#define GRAVES_FLUSH_DENORMALS ((void)0)
#endif

/*
 * `y`, or `x` itself where `x` is NaN, decided on the bits with integer
 * operations only: the library is built with -ffinite-math-only (the clamps
 * and exp_f vectorise only so; 20-30% of a training step), under which the
 * compiler may fold x != x to false, but not an integer mask. No branch: the
 * loops still vectorise.
 */
static inline float nan_keep(float x, float y) {
  uint32_t bx, by;
  memcpy(&bx, &x, sizeof bx);
  memcpy(&by, &y, sizeof by);
  const uint32_t m = 0u - (uint32_t)((bx & 0x7fffffffu) > 0x7f800000u); /* all ones where x is NaN */
  const uint32_t r = (by & ~m) | (bx & m);
  float out;
  memcpy(&out, &r, sizeof out);
  return out;
}

/*
 * fminf/fmaxf return the other operand for a NaN and would turn a NaN weight
 * into a finite number; this clamp passes NaN through, as tfjs's ops do, so
 * that a diverged run is seen (lib/train/divergence.ts).
 */
static inline float clamp_f(float x, float lo, float hi) {
  return nan_keep(x, __builtin_fminf(__builtin_fmaxf(x, lo), hi));
}

/* e^x to ~1 ulp for x in [-87, 88] (Cephes expf), branch-free so loops vectorise; NaN in, NaN out. */
static inline float exp_f(float x) {
  const float x0 = x;
  x = __builtin_fminf(__builtin_fmaxf(x, -87.0f), 88.0f);
  float n = (float)(int32_t)(x * 1.44269504088896341f + __builtin_copysignf(0.5f, x));
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * r * r + r + 1.0f;
  uint32_t bits = (uint32_t)((int32_t)n + 127) << 23; /* 2^n */
  float p;
  memcpy(&p, &bits, sizeof p);
  return nan_keep(x0, y * p);
}
static inline float sigmoid_f(float x) { return 1.0f / (1.0f + exp_f(-x)); }
static inline float tanh_f(float x) { return 2.0f * sigmoid_f(2.0f * x) - 1.0f; }
static inline float clip_f(float x, float c) { return clamp_f(x, -c, c); }

/*
 * The cell of eqs 7-11 for one sequence at one step: a [4H] holds the gate
 * pre-activations (i, f, g, o) and receives the activations; cp = c_{t−1};
 * writes c_t to cn and h_t to h. peep [3, H] = (w_ci, w_cf, w_co).
 */
static inline void cell_step(int H, float *a, const float *peep, const float *cp, float *cn, float *h) {
  float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
  const float *wci = peep, *wcf = peep + H, *wco = peep + 2 * H;
#pragma omp simd
  for (int j = 0; j < H; j++) {
    float i = sigmoid_f(ai[j] + wci[j] * cp[j]); /* eq 7 */
    float f = sigmoid_f(af[j] + wcf[j] * cp[j]); /* eq 8 */
    float g = tanh_f(ag[j]);
    float c = f * cp[j] + i * g;                 /* eq 9 */
    float o = sigmoid_f(ao[j] + wco[j] * c);     /* eq 10 */
    h[j] = o * tanh_f(c);                        /* eq 11 */
    cn[j] = c;
    ai[j] = i, af[j] = f, ag[j] = g, ao[j] = o;
  }
}

/*
 * Backpropagation through the cell at one step for one sequence: a [4H] holds
 * the gate activations the forward pass kept, cp = c_{t−1}, cc = c_t. The
 * derivative reaching h_t is dh_out + dh_next (from the layers above and from
 * step t+1); dc [H] carries dc_{t+1} in and dc_t out. Writes the clipped
 * pre-activation derivatives to dz [4H] and adds the peephole gradients to dPeep [3, H].
 */
static inline void cell_backward(int H, float clip, const float *a, const float *peep, const float *cp,
                                 const float *cc, const float *dh_out, const float *dh_next, float *dc,
                                 float *dz, float *dPeep) {
  const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
  const float *wci = peep, *wcf = peep + H, *wco = peep + 2 * H;
  float *dzi_ = dz, *dzf_ = dz + H, *dzg_ = dz + 2 * H, *dzo_ = dz + 3 * H;
  float *dPi = dPeep, *dPf = dPeep + H, *dPo = dPeep + 2 * H;
#pragma omp simd
  for (int j = 0; j < H; j++) {
    float i = ai[j], f = af[j], g = ag[j], o = ao[j];
    float tc = tanh_f(cc[j]);
    float dh = dh_out[j] + dh_next[j];
    float dzo = clip_f(dh * tc * o * (1.0f - o), clip);           /* through eqs 10-11 */
    float dcj = dc[j] + dh * o * (1.0f - tc * tc) + dzo * wco[j]; /* eq 11, peephole w_co */
    float dzi = clip_f(dcj * g * i * (1.0f - i), clip);           /* eqs 7, 9 */
    float dzf = clip_f(dcj * cp[j] * f * (1.0f - f), clip);       /* eqs 8-9 */
    float dzg = clip_f(dcj * i * (1.0f - g * g), clip);           /* eq 9 */
    dzi_[j] = dzi, dzf_[j] = dzf, dzg_[j] = dzg, dzo_[j] = dzo;
    dc[j] = dcj * f + dzi * wci[j] + dzf * wcf[j];
    dPi[j] += dzi * cp[j], dPf[j] += dzf * cp[j], dPo[j] += dzo * cc[j];
  }
}

#endif
