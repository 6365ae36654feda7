/**
 * The TensorFlow.js API as this project uses it: `@tensorflow/tfjs-core` with
 * every gradient and chained op registered. The core package's Node bundle
 * registers neither (its ESM sources are not loadable by Deno's resolver), so
 * the `@tensorflow/tfjs` bundle is loaded once for its registrations. Import
 * tfjs from here, never from the packages directly.
 *
 * @module
 */
import "@tensorflow/tfjs";
export * from "@tensorflow/tfjs-core";
