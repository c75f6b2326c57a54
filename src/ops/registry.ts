import type { OpDef } from '../core/op.js';
import * as elementwise from './elementwise.js';
import { matmulOp } from './matmul.js';
import { expandOp, reshapeOp, transposeOp } from './movement.js';
import { logsumexpOp, maxOp, meanOp, sumOp } from './reduce.js';
import { conv2dOp } from './conv.js';
import { avgPool2dOp, maxPool2dOp } from './pool.js';
import { logSoftmaxOp, softmaxOp } from './softmax.js';
import { clipOp, gatherOp, whereOp } from './indexing.js';
import { indexOp } from './labels.js';
import { concatOp, sliceOp } from './slicing.js';

/**
 * Every op, listed explicitly (no registration by side effect). Tests walk this list: an op
 * without a gradient-check spec fails the suite, an elementwise op missing from it fails too,
 * and docs/ops.md is generated from it.
 */
export const ALL_OPS: readonly OpDef[] = [
  elementwise.addOp,
  elementwise.subOp,
  elementwise.mulOp,
  elementwise.divOp,
  elementwise.powOp,
  elementwise.maximumOp,
  elementwise.minimumOp,
  elementwise.negOp,
  elementwise.expOp,
  elementwise.logOp,
  elementwise.sqrtOp,
  elementwise.absOp,
  elementwise.reciprocalOp,
  elementwise.tanhOp,
  elementwise.sigmoidOp,
  elementwise.reluOp,
  elementwise.sinOp,
  elementwise.cosOp,
  sumOp,
  meanOp,
  maxOp,
  logsumexpOp,
  matmulOp,
  reshapeOp,
  transposeOp,
  expandOp,
  conv2dOp,
  maxPool2dOp,
  avgPool2dOp,
  softmaxOp,
  logSoftmaxOp,
  elementwise.softplusOp,
  elementwise.squareOp,
  gatherOp,
  indexOp,
  sliceOp,
  concatOp,
  whereOp,
  clipOp,
];

/** The op with this name, or undefined. */
export function findOp(name: string): OpDef | undefined {
  return ALL_OPS.find((op) => op.name === name);
}
