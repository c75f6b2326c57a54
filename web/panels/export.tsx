/**
 * Downloads of what is on screen: the current frame as SVG or PNG, the whole animation as an
 * animated SVG or a GIF, the graph as DOT or as the snapshot JSON. Every file is made by a
 * library renderer; the page only rasterises (canvas) and saves (Blob + <a download>).
 */
import { signal } from '@preact/signals';
import { frameAt } from '../../src/graph/index.js';
import { renderDot, renderSvg } from '../../src/viz/index.js';
import { download, pngBlob, textBlob } from '../raster.js';
import { frame, graph, precision, view } from '../store.js';
import { animatedSvgBlob, gifBlob } from './export-animation.js';

const busy = signal<string | null>(null);
const message = signal<{ ok: boolean; text: string } | null>(null);

const BASE_NAME = 'chainrule-graph';

/** The current frame as a standalone SVG (what the graph view shows, caption included). */
function frameSvg(): string {
  const g = graph.value!;
  return renderSvg(g.snapshot, {
    precision: precision.value,
    frame: frame.value ?? frameAt(g.snapshot, g.steps, g.steps.length),
    ...(view.value ? { view: view.value } : {}),
  });
}

interface Format {
  id: string;
  label: string;
  file: string;
  make(): Blob | Promise<Blob>;
}

const FORMATS: readonly Format[] = [
  {
    id: 'svg',
    label: 'SVG (this frame)',
    file: `${BASE_NAME}.svg`,
    make: () => textBlob(frameSvg(), 'image/svg+xml'),
  },
  {
    id: 'png',
    label: 'PNG (this frame)',
    file: `${BASE_NAME}.png`,
    make: () => pngBlob(frameSvg()),
  },
  {
    id: 'animated-svg',
    label: 'Animated SVG',
    file: `${BASE_NAME}-animated.svg`,
    make: () => animatedSvgBlob(graph.value!, precision.value, view.value ?? undefined),
  },
  {
    id: 'gif',
    label: 'Animated GIF',
    file: `${BASE_NAME}.gif`,
    make: () => gifBlob(graph.value!, precision.value, view.value ?? undefined),
  },
  {
    id: 'dot',
    label: 'DOT (Graphviz)',
    file: `${BASE_NAME}.dot`,
    make: () =>
      textBlob(
        renderDot(graph.value!.snapshot, { precision: precision.value }),
        'text/vnd.graphviz',
      ),
  },
  {
    id: 'json',
    label: 'JSON (snapshot)',
    file: `${BASE_NAME}.json`,
    make: () => textBlob(`${JSON.stringify(graph.value!.snapshot, null, 2)}\n`, 'application/json'),
  },
];

async function save(format: Format): Promise<void> {
  busy.value = format.id;
  message.value = null;
  try {
    download(format.file, await format.make());
    message.value = { ok: true, text: `Saved ${format.file}.` };
  } catch (e) {
    message.value = {
      ok: false,
      text: `Could not make ${format.file}: ${e instanceof Error ? e.message : String(e)}`,
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
