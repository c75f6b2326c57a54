import { createRequire } from 'node:module';

// TensorFlow.js is a peer of the benchmark only: it lives in bench/package.json, installed by
// `npm run bench` on demand, so a plain `npm ci` of the package never downloads it. The few calls
// used here are typed below, so type-checking works whether or not it is installed.

export interface TfTensor {
  readonly shape: number[];
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}
export interface TfVariable extends TfTensor {
  assign(value: TfTensor): void;
}
type Fn1 = (x: TfTensor) => TfTensor;
type FnN = (...xs: TfTensor[]) => TfTensor;

export interface Tf {
  env(): { set(flag: string, value: boolean): void };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  memory(): { numTensors: number };
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): TfTensor;
  tensor1d(values: number[], dtype: 'int32'): TfTensor;
  variable(initial: TfTensor): TfVariable;
  oneHot(indices: TfTensor, depth: number): TfTensor;
  tidy<T extends TfTensor | TfTensor[] | void>(fn: () => T): T;
  matMul(a: TfTensor, b: TfTensor): TfTensor;
  add(a: TfTensor, b: TfTensor | number): TfTensor;
  mul(a: TfTensor, b: TfTensor | number): TfTensor;
  relu(x: TfTensor): TfTensor;
  tanh(x: TfTensor): TfTensor;
  sum(x: TfTensor): TfTensor;
  conv2d(x: TfTensor, w: TfTensor, strides: number, pad: 'same' | 'valid'): TfTensor;
  grad(f: Fn1): (x: TfTensor, dy?: TfTensor) => TfTensor;
  grads(f: FnN): (xs: TfTensor[], dy?: TfTensor) => TfTensor[];
  losses: { softmaxCrossEntropy(onehot: TfTensor, logits: TfTensor): TfTensor };
  train: {
    sgd(lr: number): {
      minimize(f: () => TfTensor, returnCost: true, varList: TfVariable[]): TfTensor | null;
    };
  };
}

/** TF.js with its wasm backend registered, or why it could not be loaded. */
export function loadTf(): Tf | string {
  const require = createRequire(import.meta.url);
  try {
    // The umbrella package registers the gradients (tfjs-core alone does not).
    const tf = require('@tensorflow/tfjs') as Tf;
    require('@tensorflow/tfjs-backend-wasm');
    tf.env().set('PROD', true);
    return tf;
  } catch (error) {
    return `TF.js is not installed in bench/ (npm ci --prefix bench): ${(error as Error).message.split('\n')[0]}`;
  }
}

/** How many threads TF.js's wasm backend runs on (it uses one in Node). */
export function tfWasmThreads(): number | undefined {
  const require = createRequire(import.meta.url);
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount?: () => number };
    return wasm.getThreadsCount?.();
  } catch {
    return undefined;
  }
}
