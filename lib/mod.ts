/**
 * The public surface of the library, for notebooks (`import * as g from
 * "../lib/mod.ts"`): every name below comes from the module its line names,
 * grouped by layer in the order of this list. The layers, lowest first; a
 * module imports only from its own folder or a lower layer (checked by
 * `tests/meta/layers_test.ts`):
 *
 * 0. `util/` (paths, seeded RNG, statistics) and `tf.ts`.
 * 1. `backend/` and `backend.ts` (picks and reports the TensorFlow.js
 *    backend, native kernels); `data/` (PTB, enwik8, IAM-OnDB; batching).
 * 2. `nn/` (the peephole LSTM, softmax and mixture density heads, the soft
 *    window); `plots/` (figures); `report/` (records, tables, notebook display).
 * 3. `models/` (the paper's three networks with named presets); `analysis/`.
 * 4. `train/` (optimisers with the paper's symbols, weight noise, the step,
 *    the tasks and the loop, which knows nothing about folders).
 * 5. `eval/` (scoring, dynamic evaluation).
 * 6. `runs/` (run folders, checkpoints and the loader every experiment's
 *    builds on, records and labels, settings, averages, recipes, shipping).
 * 7. `experiments/` (each experiment defined once — how it trains, loads,
 *    is scored and reported — its notebook report, and the registry), `bench/`,
 *    `web/` (the browser writer built as a static folder, and served).
 * 8. `cli/` (the `deno task` commands).
 * @module
 */
// 0 · util, tf: paths, seeded RNG, text helpers, Jupyter display
export * as tf from "./tf.ts";
export * from "./util/jupyter.ts";
export * from "./util/paths.ts";
export * from "./util/rng.ts";
export * from "./util/text.ts";

// 1 · backend (TensorFlow.js backend and native kernels) and data (PTB, enwik8, IAM-OnDB, batching)
export * from "./backend.ts";
export * from "./data/enwik8.ts";
export * from "./data/errors.ts";
export * from "./data/iamondb/charset.ts";
export * from "./data/iamondb/dataset.ts";
export * from "./data/iamondb/offsets.ts";
export * from "./data/iamondb/record.ts";
export * from "./data/iamondb/splits.ts";
export * from "./data/lines.ts";
export * from "./data/ptb.ts";
export * from "./data/ptb_words.ts";
export * from "./data/streams.ts";

// 2 · nn (the cell interface, the LSTM and a GRU, softmax, mixture density, soft window), plots (figures), report (records, tables, notebooks)
export * from "./nn/cell.ts";
export * from "./nn/cells.ts";
export * from "./nn/gru.ts";
export * from "./nn/lstm.ts";
export * from "./nn/lstm_cell.ts";
export * from "./nn/lstm_sequence.ts";
export * from "./nn/mdn.ts";
export * from "./nn/params.ts";
export * from "./nn/softmax.ts";
export * from "./nn/window.ts";
export * from "./nn/window_sequence.ts";
export * from "./plots/figures.ts";
export * from "./plots/render.ts";
export * from "./report/notebook.ts";
export * from "./report/precision.ts";
export * from "./report/record.ts";
export * from "./report/table.ts";
export * from "./report/text_html.ts";

// 3 · models (the paper's three networks) and analysis
export * from "./analysis/density.ts";
export * from "./analysis/markup.ts";
export * from "./analysis/rmsprop_scale.ts";
export * from "./models/handwriting.ts";
export * from "./models/native_step.ts";
export * from "./models/stack.ts";
export * from "./models/synthesis.ts";
export * from "./models/synthesis_sample.ts";
export * from "./models/text.ts";

// 4 · train (optimisers, weight noise, tasks, the loop)
export * from "./train/adaptive_noise.ts";
export * from "./train/divergence.ts";
export * from "./train/loop.ts";
export * from "./train/noise.ts";
export * from "./train/optimizers.ts";
export * from "./train/progress.ts";
export * from "./train/step.ts";
export * from "./train/tasks.ts";

// 5 · eval (scoring, dynamic evaluation)
export * from "./eval/dynamic_rms.ts";
export * from "./eval/evaluate.ts";

// 6 · runs (folders, checkpoints, loaders, records, labels, settings)
export * from "./runs/checkpoint.ts";
export * from "./runs/folder.ts";
export * from "./runs/label.ts";
export * from "./runs/record.ts";
export * from "./runs/run.ts";
export * from "./runs/settings.ts";
export * from "./runs/trained.ts";

// 7 · experiments (each defined once: train, open, score, report; the registry)
export * from "./experiments/define.ts";
export * from "./experiments/handwriting.ts";
export * from "./experiments/handwriting_figures.ts";
export * from "./experiments/handwriting_report.ts";
export * from "./experiments/iam.ts";
export * from "./experiments/lines_report.ts";
export * from "./experiments/ptb.ts";
export * from "./experiments/ptb_report.ts";
export * from "./experiments/ptb_score.ts";
export * from "./experiments/ptb_words.ts";
export * from "./experiments/ptb_words_report.ts";
export * from "./experiments/registry.ts";
export * from "./experiments/scoring.ts";
export * from "./experiments/synthesis_figures.ts";
export * from "./experiments/tour_report.ts";
export * from "./experiments/wikipedia.ts";
export * from "./experiments/wikipedia_report.ts";
export * from "./experiments/write.ts";
