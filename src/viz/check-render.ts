/**
 * The argument checks shared by the renderers: the snapshot or view they draw and the options
 * every picture takes, refused with an error naming the renderer the user called.
 */
import { badArgument } from '../core/errors.js';
import { checkBoolean, checkOptions, describe } from '../core/validate.js';
import { checkPrecision, checkSnapshot, checkView, isView } from '../graph/check-args.js';
import type { GraphView } from '../graph/view.js';
import type { GraphSnapshot } from '../graph/types.js';

interface PictureOptions {
  precision?: number;
  values?: boolean;
  gradients?: boolean;
  caption?: boolean;
  view?: GraphView;
  title?: string;
}

/** Options of a picture: an object, a precision in [0, 20], flags that are true or false. */
export function checkPictureOptions<T extends object>(fn: string, options: T | undefined): T {
  const opts = checkOptions(fn, 'options', options) as T & PictureOptions;
  checkPrecision(fn, opts.precision, 'options.precision');
  for (const flag of ['values', 'gradients', 'caption'] as const) {
    if (opts[flag] !== undefined) checkBoolean(fn, `options.${flag}`, opts[flag]);
  }
  if (opts.view !== undefined) checkView(fn, opts.view, 'options.view');
  if (opts.title !== undefined && typeof opts.title !== 'string') {
    throw badArgument(fn, `options.title must be a string, got ${describe(opts.title)}`);
  }
  return opts;
}

/** A renderer's snapshot and options, or a clear error naming `fn`. */
export function checkRender<T extends object>(
  fn: string,
  snapshot: GraphSnapshot,
  options: T | undefined,
): T {
  checkSnapshot(fn, snapshot);
  return checkPictureOptions(fn, options);
}

/** A snapshot, or a view made by buildView (what frameParts and frameClasses draw). */
export function checkDrawn(fn: string, drawn: unknown): GraphSnapshot | GraphView {
  if (isView(drawn)) return drawn;
  return checkSnapshot(fn, drawn, 'drawn');
}
