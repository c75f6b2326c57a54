import { ChainruleError } from '../../core/errors.js';
import { noGrad } from '../../core/autograd.js';
import { Rng } from '../../core/random.js';
import { forwardRecycled } from '../../core/recycle.js';
import { Tensor } from '../../core/tensor.js';
import { loadModule } from '../../io/module-io.js';
import { readBytes } from '../../io/node.js';
import { decodeSafetensors } from '../../io/safetensors.js';
import { Classifier, LOSSES, type LossName } from '../../nn/classifier.js';
import { buildModel } from '../../nn/spec.js';
import type { DType } from '../../core/tensor.js';
import { argmax } from '../../ops/indexing.js';
import { takeRows } from '../../data/dataset.js';
import type { DataSpec } from './data.js';

// A trained model as `chainrule train` saves it: the weights in safetensors, and in the header's
// metadata what is needed to build the same network again and to make the same data.

export const MODEL_FORMAT = 'chainrule-model/1';

/** What the metadata of a saved model says. */
export interface ModelInfo {
  spec: string;
  loss: LossName;
  inputShape: number[];
  numClasses: number;
  classNames: string[] | undefined;
  dtype: DType;
  data: DataSpec;
}

/** The metadata strings of a model file. */
export function modelMetadata(info: ModelInfo): Record<string, string> {
  const out: Record<string, string> = {
    format: MODEL_FORMAT,
    spec: info.spec,
    loss: info.loss,
    inputShape: JSON.stringify(info.inputShape),
    numClasses: String(info.numClasses),
    dtype: info.dtype,
    data: JSON.stringify(info.data),
  };
  if (info.classNames) out.classNames = JSON.stringify(info.classNames);
  return out;
}

const notAModel = (path: string, why: string) =>
  new ChainruleError('bad_argument', `${path} is not a model saved by chainrule train: ${why}`);

function parseJson(path: string, name: string, text: string | undefined): unknown {
  if (text === undefined) throw notAModel(path, `the metadata has no ${name}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notAModel(path, `its ${name} is not JSON`);
  }
}

/** A saved model, rebuilt and loaded. */
export interface SavedModel {
  info: ModelInfo;
  model: Classifier;
  /** Standardization statistics saved with the model, if it was trained on standardized data. */
  standardize: { mean: Tensor; std: Tensor } | undefined;
}

/** Reads a model file: checks its metadata, rebuilds the network and loads the weights. */
export function readSavedModel(path: string): SavedModel {
  const bytes = readBytes(path, 'load');
  // The metadata first, to rebuild the network the weights belong to (the file is checked whole).
  const { metadata } = decodeSafetensors(bytes);
  if (metadata.format !== MODEL_FORMAT)
    throw notAModel(path, `its format is ${JSON.stringify(metadata.format)}, not ${MODEL_FORMAT}`);
  const inputShape = parseJson(path, 'inputShape', metadata.inputShape);
  const numClasses = Number(metadata.numClasses);
  const loss = metadata.loss as LossName;
  if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0))
    throw notAModel(path, 'bad inputShape');
  if (!Number.isInteger(numClasses) || numClasses < 1) throw notAModel(path, 'bad numClasses');
  if (!LOSSES.includes(loss)) throw notAModel(path, `unknown loss ${JSON.stringify(loss)}`);
  const dtype: DType = metadata.dtype === 'float32' ? 'float32' : 'float64';
  const classNames =
    metadata.classNames === undefined
      ? undefined
      : parseJson(path, 'classNames', metadata.classNames);
  if (
    classNames !== undefined &&
    !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string'))
  ) {
    throw notAModel(path, 'bad classNames');
  }
  const data = parseJson(path, 'data', metadata.data) as DataSpec;
  if (!data || typeof data.data !== 'string' || !Number.isInteger(data.seed))
    throw notAModel(path, 'bad data description');
  const { model: net } = buildModel(metadata.spec ?? '', {
    inputShape: inputShape as number[],
    numClasses,
    rng: new Rng(0),
    dtype,
  });
  const model = new Classifier(net, { loss });
  const { extra } = loadModule(net, bytes);
  const standardize =
    extra['standardize.mean'] && extra['standardize.std']
      ? { mean: extra['standardize.mean'], std: extra['standardize.std'] }
      : undefined;
  return {
    info: {
      spec: metadata.spec!,
      loss,
      inputShape: inputShape as number[],
      numClasses,
      classNames: classNames,
      dtype,
      data,
    },
    model,
    standardize,
  };
}

/** Class scores of X (eval phase, no graph), in batches of 500. */
export function scoresOf(model: Classifier, X: Tensor): Tensor {
  const n = X.shape[0]!;
  const parts: Tensor[] = [];
  noGrad(() => {
    for (let start = 0; start < n; start += 500) {
      const rows = Array.from({ length: Math.min(500, n - start) }, (_, i) => start + i);
      parts.push(forwardRecycled(() => model.forward(takeRows(X, rows), 'eval')));
    }
  });
  const c = parts[0]?.shape[1] ?? 0;
  const out = new Float64Array(n * c);
  let at = 0;
  for (const p of parts) {
    out.set(p.data, at);
    at += p.size;
  }
  return new Tensor(out, [n, c]);
}

/** The predicted class of each row of X. */
export function predictClasses(model: Classifier, X: Tensor): number[] {
  return Array.from(argmax(scoresOf(model, X), { axis: 1 }).data);
}
