/**
 * The names of the native kernels (`native.ts` registers them on the wasm
 * backend; the ops in `lib/nn` and `lib/train` look for them by name). Kept
 * apart from `native.ts`, which loads a shared library through Deno's FFI, so
 * that the web page's stand-in (`web/src/page_native.ts`) can export the
 * same names.
 * @module
 */

/** The kernel names `lib/nn/lstm_sequence.ts` looks for on the active backend. */
export const LSTM_FORWARD = "GravesLstmForward";
/** See `LSTM_FORWARD`. */
export const LSTM_BACKWARD = "GravesLstmBackward";
/** The synthesis network's layer 1 and soft window over a sequence (`native/window.c`), forward. */
export const WINDOW_FORWARD = "GravesWindowForward";
/** See `WINDOW_FORWARD`. */
export const WINDOW_BACKWARD = "GravesWindowBackward";
/** Gaussian noise (`native/train.c`), attrs { shape, seed, std }: `lib/train/noise.ts` looks for it. */
export const NORMAL = "GravesNormal";
/** Rows of W by symbol code (`native/lookup.c`): `lib/nn/lookup.ts` looks for it. */
export const GATHER_ROWS = "GravesGatherRows";
/** The lookup's gradient, dy added onto the rows it came from (`native/lookup.c`). */
export const SCATTER_ROWS = "GravesScatterRows";
/** Softmax cross-entropy per row and its gradient (`native/train.c`): `lib/nn/softmax.ts` looks for it. */
export const SOFTMAX_XENT = "GravesSoftmaxXent";
/** The RMSProp update kernel `lib/train/optimizers.ts` looks for. */
export const RMSPROP = "GravesRmsProp";
