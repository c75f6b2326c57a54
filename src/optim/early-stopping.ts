import { checkInteger, checkNumber, checkOptions } from '../core/validate.js';

/**
 * Early stopping on a validation score that should rise (accuracy): `update(score)` after each
 * epoch returns true once the score has not beaten its best by more than minDelta for
 * `patience` epochs in a row.
 *
 * @example
 * const stop = new EarlyStopping({ patience: 2 });
 * [0.5, 0.6, 0.6, 0.59].map((acc) => stop.update(acc)) // [false, false, false, true]
 */
export class EarlyStopping {
  readonly patience: number;
  readonly minDelta: number;
  best = -Infinity;
  /** The epoch (0-based count of updates) of the best score. */
  bestEpoch = -1;
  /** Updates since the best. */
  stale = 0;
  private epochs = 0;

  constructor(options: { patience: number; minDelta?: number }) {
    options = checkOptions('EarlyStopping', 'options', options);
    this.patience = checkInteger(
      'EarlyStopping',
      'options.patience',
      options.patience,
      1,
      1_000_000,
    );
    this.minDelta = checkNumber('EarlyStopping', 'options.minDelta', options.minDelta ?? 0, {
      min: 0,
    });
  }

  /** Records this epoch's score; true when training should stop. */
  update(score: number): boolean {
    checkNumber('EarlyStopping.update', 'score', score);
    if (score > this.best + this.minDelta) {
      this.best = score;
      this.bestEpoch = this.epochs;
      this.stale = 0;
    } else {
      this.stale++;
    }
    this.epochs++;
    return this.stale >= this.patience;
  }
}
