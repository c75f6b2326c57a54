import { ChainruleError } from '../../core/errors.js';
import { snapshotExpression } from '../../graph/from-expression.js';
import type { GraphSnapshot } from '../../graph/types.js';
import { renderAnimatedSvg } from '../../viz/animate.js';
import { renderDot } from '../../viz/dot.js';
import { renderGif } from '../../viz/gif-node.js';
import { renderPng } from '../../viz/png.js';
import { renderSvg } from '../../viz/svg.js';
import { renderText } from '../../viz/text.js';
import {
  FLAG_RANGES,
  choiceFlag,
  integerFlag,
  numberFlag,
  parseArgs,
  type FlagSpec,
} from '../args.js';
import { describeFlags } from '../help.js';
import { INPUT_FLAGS, gateWarnings, readInput } from '../input.js';
import type { Command } from '../io.js';

const FORMATS = ['text', 'svg', 'png', 'dot', 'json', 'gif', 'animated-svg'] as const;
type Format = (typeof FORMATS)[number];

/** The file extensions each format writes; the first is the one `-o` suggests. */
const EXTENSIONS: Readonly<Record<Format, readonly string[]>> = {
  text: ['.txt', '.text'],
  svg: ['.svg'],
  'animated-svg': ['.animated.svg', '.svg'],
  png: ['.png'],
  dot: ['.dot', '.gv'],
  json: ['.json'],
  gif: ['.gif'],
};

/** `.svg`, `.animated.svg`, … as a list for messages. */
const KNOWN = FORMATS.map((f) => `${EXTENSIONS[f][0]} (${f})`).join(', ');

/**
 * The format to write: `--format` when given, else the one the `-o` file's extension names
 * (`.animated.svg` for the animated SVG), else text on standard output. An extension no format
 * writes, or one that contradicts `--format`, is an error naming the formats.
 *
 * @example
 * outputFormat('graph.png', undefined) // 'png'
 * outputFormat('graph.animated.svg', undefined) // 'animated-svg'
 */
export function outputFormat(path: string | undefined, format: Format | undefined): Format {
  if (path === undefined) return format ?? 'text';
  const name = path.toLowerCase();
  // The longest extension the name ends in decides (`.animated.svg` over `.svg`); on a tie the
  // first format listed (svg before animated-svg).
  let ext = '';
  let byExtension: Format | undefined;
  for (const f of FORMATS) {
    for (const e of EXTENSIONS[f]) {
      if (name.endsWith(e) && e.length > ext.length) [ext, byExtension] = [e, f];
    }
  }
  const written = /\.[^./\\]+$/.exec(path)?.[0];
  if (format !== undefined) {
    if (byExtension !== undefined && !EXTENSIONS[format].includes(ext)) {
      throw new ChainruleError(
        'bad_argument',
        `-o ${path} ends in ${ext} but --format is ${format}: drop one of them, or name the ` +
          `file with ${EXTENSIONS[format].join(' or ')}`,
      );
    }
    if (byExtension === undefined && written !== undefined) {
      throw new ChainruleError(
        'bad_argument',
        `-o ${path}: a ${format} file ends in ${EXTENSIONS[format].join(' or ')}`,
      );
    }
    return format;
  }
  if (byExtension === undefined) {
    throw new ChainruleError(
      'bad_argument',
      `${written ? `cannot write ${written} files` : `cannot tell the format of -o ${path} (no extension)`}: ` +
        `chainrule graph writes ${KNOWN}`,
    );
  }
  return byExtension;
}

const FLAGS: readonly FlagSpec[] = [
  {
    name: 'format',
    kind: 'value',
    short: 'f',
    help: `output format <FORMAT>: ${FORMATS.join(', ')} (default: from the -o extension, else text)`,
  },
  { name: 'output', kind: 'value', short: 'o', help: 'write to <FILE> instead of standard output' },
  { name: 'scale', kind: 'value', help: 'zoom factor <S> of a PNG (default 2) or GIF (default 1)' },
  {
    name: 'step',
    kind: 'value',
    help: 'seconds <T> per animation step in a GIF or animated SVG (default 0.7)',
  },
  {
    name: 'hold',
    kind: 'value',
    help: 'seconds <T> the finished picture stays before the animation loops (default 2)',
  },
  { name: 'title', kind: 'value', help: 'a heading <TEXT> for the picture' },
  { name: 'no-legend', kind: 'switch', help: 'leave out the colour legend' },
  ...INPUT_FLAGS,
];

/** How `render` draws: the flags of `chainrule graph`. */
export interface RenderOptions {
  precision: number;
  /** Zoom of a PNG or GIF. */
  scale: number;
  title?: string;
  legend: boolean;
  /** Seconds per step of an animation (GIF, animated SVG). */
  stepSeconds: number;
  /** Seconds the last frame of an animation stays. */
  holdSeconds: number;
}

/** Renders a snapshot in one of the formats; PNG and GIF are bytes, everything else text. */
export function render(
  snapshot: GraphSnapshot,
  format: Format,
  options: RenderOptions,
): string | Uint8Array {
  const svgOptions = {
    precision: options.precision,
    legend: options.legend,
    ...(options.title === undefined ? {} : { title: options.title }),
  };
  switch (format) {
    case 'text':
      return renderText(snapshot, {
        precision: options.precision,
        ...(options.title ? { title: options.title } : {}),
      });
    case 'svg':
      return renderSvg(snapshot, svgOptions);
    case 'png':
      return renderPng(renderSvg(snapshot, svgOptions), { scale: options.scale });
    case 'gif':
      return renderGif(snapshot, {
        ...svgOptions,
        scale: options.scale,
        delayMs: Math.round(options.stepSeconds * 1000),
        holdMs: Math.round(options.holdSeconds * 1000),
      });
    case 'animated-svg':
      return renderAnimatedSvg(snapshot, {
        ...svgOptions,
        stepSeconds: options.stepSeconds,
        holdSeconds: options.holdSeconds,
      });
    case 'dot':
      return renderDot(snapshot, { precision: options.precision });
    case 'json':
      return (
        JSON.stringify(snapshot, (_key, v: unknown) =>
          typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
        ) + '\n'
      );
  }
}

export const graphCommand: Command = {
  name: 'graph',
  summary: 'draw the computational graph with values (green) and gradients (red)',
  usage: `chainrule graph "<expr>" name=value ... [--format ${FORMATS.join('|')}] [-o FILE]`,
  help: () => `Draws the computational graph of an expression, CS231n style: gates left to right,
the forward value above each wire (green), the gradient below it (red), and on every wire
dL/dx = local gradient × upstream gradient. Staged by default: every operator is its own gate.
gif and animated-svg play the forward pass, then the backward pass, step by step, and loop.

With -o the format comes from the file's extension: .svg, .png, .dot (or .gv), .json, .gif,
.txt, and .animated.svg for the animated SVG (or --format animated-svg with a .svg file). Any
other extension is refused; --format must agree with the extension.

Usage: ${graphCommand.usage}

${describeFlags(FLAGS)}

Examples:
  chainrule graph --example sigmoid --format svg -o sigmoid.svg
  chainrule graph "(x+y)*z" x=-2 y=5 z=-4
  chainrule graph --example staged -o staged.png
  chainrule graph --example sigmoid -o sigmoid.gif --step 0.5
  chainrule graph --example sigmoid -o sigmoid.animated.svg
  chainrule graph "dot = w0*x0 + w1*x1 + w2; f = 1/(1+exp(-dot))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3
  chainrule graph --example softmax -o softmax.svg`,
  run(argv, io) {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help')) {
      io.stdout(graphCommand.help() + '\n');
      return 0;
    }
    const output = args.flags.get('output');
    if (output === true) throw new ChainruleError('bad_argument', '-o needs a file name');
    const given = args.flags.has('format')
      ? choiceFlag(args, 'format', FORMATS, 'text')
      : undefined;
    const format = outputFormat(output, given);
    const precision = integerFlag(args, 'precision', 2, 0, 17);
    // A GIF has one picture per step: full size keeps the file and the wait small.
    const scale = numberFlag(args, 'scale', format === 'gif' ? 1 : 2, FLAG_RANGES.scale);
    const title = args.flags.get('title');
    const input = readInput(args, 'staged');
    io.stderr(gateWarnings(input.gates));
    const snapshot = snapshotExpression(input.expression, input.values, {
      mode: input.mode,
      functions: input.functions,
    });
    const result = render(snapshot, format, {
      precision,
      scale,
      legend: !args.flags.has('no-legend'),
      stepSeconds: numberFlag(args, 'step', 0.7, FLAG_RANGES.step),
      holdSeconds: numberFlag(args, 'hold', 2, FLAG_RANGES.hold),
      ...(typeof title === 'string' ? { title } : {}),
    });
    if (output) {
      io.writeFile(output, result);
      io.stderr(`wrote ${output} (${format}, ${snapshot.nodes.length} nodes)\n`);
    } else if (typeof result !== 'string' && io.isTTY) {
      throw new ChainruleError(
        'bad_argument',
        `${format.toUpperCase()} is binary: write it to a file with -o graph.${format}`,
      );
    } else {
      io.stdout(result);
      if (typeof result === 'string' && !result.endsWith('\n')) io.stdout('\n');
    }
    return 0;
  },
};
