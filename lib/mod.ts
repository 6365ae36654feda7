/**
 * The public surface of the library, for notebooks and tasks:
 *
 * - backend: `initBackend` picks and reports the TensorFlow.js backend.
 * - data: PTB, enwik8 and IAM-OnDB loaders, stream and line batching.
 * - nn: the peephole LSTM (fused sequence op), softmax and mixture density
 *   heads, the soft window.
 * - models: the paper's three networks with named presets.
 * - train: RMSProp and SGD, weight noise, the loop, checkpoints, evaluation.
 * @module
 */
export * as tf from "./tf.ts";
export * from "./backend.ts";
export * from "./data/location.ts";
export * from "./data/errors.ts";
export * from "./data/ptb.ts";
export * from "./data/enwik8.ts";
export * from "./data/streams.ts";
export * from "./data/lines.ts";
export * from "./data/iamondb/dataset.ts";
export * from "./data/iamondb/splits.ts";
export * from "./data/iamondb/offsets.ts";
export * from "./data/iamondb/charset.ts";
export * from "./nn/lstm_cell.ts";
export * from "./nn/lstm_sequence.ts";
export * from "./nn/softmax.ts";
export * from "./nn/mdn.ts";
export * from "./nn/window.ts";
export * from "./nn/window_sequence.ts";
export * from "./nn/params.ts";
export * from "./models/stack.ts";
export * from "./models/text.ts";
export * from "./models/handwriting.ts";
export * from "./models/synthesis.ts";
export * from "./models/synthesis_sample.ts";
export * from "./models/native_step.ts";
export * from "./train/rng.ts";
export * from "./train/optimizers.ts";
export * from "./analysis/rmsprop_scale.ts";
export * from "./train/step.ts";
export * from "./train/adaptive_noise.ts";
export * from "./train/noise.ts";
export * from "./train/tasks.ts";
export * from "./train/loop.ts";
export * from "./train/phases.ts";
export * from "./train/checkpoint.ts";
export * from "./train/evaluate.ts";
export * from "./train/dynamic_rms.ts";
export * from "./train/progress.ts";
