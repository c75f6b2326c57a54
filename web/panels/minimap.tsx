/**
 * The minimap of a big picture: every box as a dot of colour at a small scale, the part in view
 * as a rectangle; click or drag in it to move the view there.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { GraphView } from '../../src/graph/index.js';
import type { GraphLayout } from '../../src/viz/index.js';
import type { ViewportHandle } from '../viewport.js';

const WIDTH = 180;
const HEIGHT = 110;
/** Pictures with more boxes than this get a minimap. */
const MINIMAP_NODES = 60;

/** Whether a view is big enough to need a minimap. */
export function wantsMinimap(view: GraphView): boolean {
  return view.nodes.length > MINIMAP_NODES;
}

export function Minimap({ layout, viewport }: { layout: GraphLayout; viewport: ViewportHandle }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // The picture is drawn inside the SVG with a 16 px margin (and maybe a title): close enough.
  const scale = Math.min(WIDTH / (layout.width + 32), HEIGHT / (layout.height + 32));

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const draw = () => {
      const t = viewport.transform();
      ctx.clearRect(0, 0, WIDTH, HEIGHT);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, WIDTH, HEIGHT);
      ctx.save();
      ctx.scale(scale, scale);
      ctx.translate(16, 16);
      ctx.strokeStyle = '#b9c7dd';
      ctx.lineWidth = 1 / scale;
      for (const f of Object.values(layout.frames))
        ctx.strokeRect(f.x - f.width / 2, f.y - f.height / 2, f.width, f.height);
      for (const b of Object.values(layout.nodes)) {
        ctx.fillStyle =
          b.shape === 'box' ? '#5b7db1' : b.shape === 'circle' ? '#333333' : '#888888';
        ctx.fillRect(b.x - b.width / 2, b.y - b.height / 2, b.width, b.height);
      }
      ctx.restore();
      // The part of the picture in view: the view's box in picture pixels.
      const host = el.parentElement!;
      const x = (-t.x / t.scale) * scale;
      const y = (-t.y / t.scale) * scale;
      const w = (host.clientWidth / t.scale) * scale;
      const h = (host.clientHeight / t.scale) * scale;
      ctx.strokeStyle = '#1565c0';
      ctx.lineWidth = 2;
      ctx.strokeRect(x, y, w, h);
    };
    draw();
    return viewport.onChange(draw);
  }, [layout, viewport, scale]);

  const go = (e: PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    // The canvas may be drawn smaller than its pixels (on a phone): map back to its pixels.
    const x = ((e.clientX - r.left) * WIDTH) / r.width;
    const y = ((e.clientY - r.top) * HEIGHT) / r.height;
    viewport.centreOn(x / scale, y / scale);
  };
  return (
    <canvas
      ref={canvas}
      class="minimap"
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label="Minimap of the whole graph: click to move the view there"
      onPointerDown={(e) => {
        e.stopPropagation();
        canvas.current!.setPointerCapture(e.pointerId);
        go(e);
      }}
      onPointerMove={(e) => {
        e.stopPropagation();
        if (e.buttons === 1) go(e);
      }}
      onPointerUp={(e) => e.stopPropagation()}
      onClick={(e) => e.stopPropagation()}
      onWheel={(e) => e.stopPropagation()}
    />
  );
}
