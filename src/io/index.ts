/**
 * chainrule/io: saving and loading in the safetensors layout — raw named tensors, a module's
 * weights with its optimizer's state, and Solver checkpoints. Bytes in, bytes out (Node and the
 * browser); reading and writing files is chainrule/io/node.
 */
export {
  encodeSafetensors,
  decodeSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsContent,
} from './safetensors.js';
export {
  saveModule,
  loadModule,
  encodeCheckpoint,
  decodeCheckpoint,
  type SaveOptions,
  type Loaded,
} from './module-io.js';
