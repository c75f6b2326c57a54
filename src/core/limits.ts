/**
 * Every size and range limit chainrule enforces, in one place. Anything a user can type, pass or
 * link is checked against these before it costs time or memory; docs/limits.md explains each.
 */
export const LIMITS = {
  /** Elements in one tensor: 2²⁷ (134,217,728), 1 GiB of float64. */
  maxTensorSize: 2 ** 27,
  /** Axes of one tensor, which is also how deep a nested array may nest. */
  maxRank: 32,
  /** Characters in one expression. */
  maxExpressionLength: 100_000,
  /** Nesting of parentheses, signs and powers in one expression. */
  maxExpressionDepth: 400,
  /** Parameters (Values) of one scalar Neuron, Layer or MLP. */
  maxScalarParameters: 1_000_000,
  /** Weights of one tensor model built from sizes (CS231n's models, a model spec): 2²⁷ in all. */
  maxModelParameters: 2 ** 27,
  /** Bytes of one file read or written by chainrule/io (weights, checkpoints, CSV, CIFAR-10). */
  maxFileBytes: 2 ** 31,
  /** Zoom factor of a PNG or GIF. */
  minScale: 0.01,
  maxScale: 100,
  /** Pixels of one rasterised picture (a PNG, or one GIF frame): 2²⁵, about 33.5 million. */
  maxPixels: 2 ** 25,
  /** Pixels of all frames of one GIF together: 2²⁷ (they are held in memory at once). */
  maxGifPixels: 2 ** 27,
  /** Seconds per animation step (GIF delays are whole hundredths, at most 655.35 s). */
  minStepSeconds: 0.02,
  maxStepSeconds: 600,
  /** Seconds the finished picture of an animation is held. */
  maxHoldSeconds: 600,
  /** Characters of user text shown around the column in an error message. */
  excerptChars: 72,
  /** Characters of one line of an error message before the middle is cut out. */
  messageLineChars: 400,
} as const;
