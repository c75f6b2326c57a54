/**
 * Downloads of what is on screen: the current frame as SVG or PNG, the whole animation as an
 * animated SVG or a GIF, the graph as DOT or as the snapshot JSON. Every file is made by a
 * library renderer; the page only rasterises (canvas) and saves (Blob + <a download>).
 */
import { signal } from '@preact/signals';
import { frameAt } from '../../src/graph/index.js';
import { renderDot, renderSvg } from '../../src/viz/index.js';
import { exportBaseName } from '../export-name.js';
import { download, pngBlob, textBlob } from '../raster.js';
import { expr, frame, graph, length, position, precision, view } from '../store.js';
import { animatedSvgBlob, gifBlob } from './export-animation.js';

const busy = signal<string | null>(null);
const message = signal<{ ok: boolean; text: string } | null>(null);
/** A clean picture for slides: what is known at this step, without the highlight and caption. */
export const clean = signal(false);

/**
 * The current frame as a standalone SVG: what the graph view shows, with the step's highlight
 * and caption — or, clean, the same numbers without either.
 */
function frameSvg(): string {
  const g = graph.value!;
  const f = frame.value ?? frameAt(g.snapshot, g.steps, g.steps.length);
  return renderSvg(g.snapshot, {
    precision: precision.value,
    frame: clean.value ? { ...f, active: { nodes: [], edges: [] } } : f,
    ...(clean.value ? { caption: false } : {}),
    ...(view.value ? { view: view.value } : {}),
  });
}

interface Format {
  id: string;
  label: string;
  /** The file name's ending (after the base name from the example and the step). */
  suffix: string;
  /** A picture of this frame (named with the step; cleanable), not of the whole animation. */
  frame?: boolean;
  make(): Blob | Promise<Blob>;
}

const FORMATS: readonly Format[] = [
  {
    id: 'svg',
    label: 'SVG (this frame)',
    suffix: '.svg',
    frame: true,
    make: () => textBlob(frameSvg(), 'image/svg+xml'),
  },
  {
    id: 'png',
    label: 'PNG (this frame)',
    suffix: '.png',
    frame: true,
    make: () => pngBlob(frameSvg()),
  },
  {
    id: 'animated-svg',
    label: 'Animated SVG',
    suffix: '-animated.svg',
    make: () => animatedSvgBlob(graph.value!, precision.value, view.value ?? undefined),
  },
  {
    id: 'gif',
    label: 'Animated GIF',
    suffix: '.gif',
    make: () => gifBlob(graph.value!, precision.value, view.value ?? undefined),
  },
  {
    id: 'dot',
    label: 'DOT (Graphviz)',
    suffix: '.dot',
    make: () =>
      textBlob(
        renderDot(graph.value!.snapshot, { precision: precision.value }),
        'text/vnd.graphviz',
      ),
  },
  {
    id: 'json',
    label: 'JSON (snapshot)',
    suffix: '.json',
    make: () => textBlob(`${JSON.stringify(graph.value!.snapshot, null, 2)}\n`, 'application/json'),
  },
];

/** `sigmoid.png`, `sigmoid-step-5.png` (a frame before the end), `sigmoid-animated.svg`. */
export function fileName(format: Format): string {
  const n = length.peek();
  const base = exportBaseName(expr.peek(), format.frame ? position.peek() : n, n);
  return `${base}${format.frame && clean.peek() ? '-clean' : ''}${format.suffix}`;
}

async function save(format: Format): Promise<void> {
  busy.value = format.id;
  message.value = null;
  const file = fileName(format);
  try {
    download(file, await format.make());
    message.value = { ok: true, text: `Saved ${file}.` };
  } catch (e) {
    message.value = {
      ok: false,
      text: `Could not make ${file}: ${e instanceof Error ? e.message : String(e)}`,
    };
  } finally {
    busy.value = null;
  }
}

export function Export() {
  const disabled = graph.value === null || busy.value !== null;
  return (
    <details class="panel export">
      <summary>
        <h2>Export</h2>
      </summary>
      <label class="switch clean-export">
        <input
          type="checkbox"
          checked={clean.value}
          onChange={(e) => (clean.value = e.currentTarget.checked)}
        />
        <span>Clean picture: no highlight, no caption (SVG and PNG)</span>
      </label>
      <div class="export-buttons">
        {FORMATS.map((f) => (
          <button
            key={f.id}
            type="button"
            data-export={f.id}
            disabled={disabled}
            aria-busy={busy.value === f.id}
            onClick={() => void save(f)}
          >
            {busy.value === f.id ? 'Making…' : f.label}
          </button>
        ))}
      </div>
      {message.value ? (
        <p class={message.value.ok ? 'help' : 'field-error'} role="status">
          {message.value.text}
        </p>
      ) : null}
    </details>
  );
}
