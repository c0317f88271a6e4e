// TensorFlow.js as a user with a bundler installs it for training: the core, its gradients, the
// layers API (tf.layers.gru / lstm for the gated rows), and the cpu and wasm backends (the full
// @tensorflow/tfjs bundle also carries the converter and data, and evaluates strings, which the
// served page's CSP forbids). `cargo xtask bench` bundles this with
// esbuild into bench/vendor/tfjs/tfjs.mjs, which bench/tfjs.mjs imports.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf, tfl, setWasmPaths };
