/** The page's layout: which panel goes where. Each panel reads the store and renders itself. */
import type { Player } from './player.js';
import { Controls, StepCaption } from './panels/controls.js';
import { Editor } from './panels/editor.js';
import { Export } from './panels/export.js';
import { Gallery } from './panels/gallery.js';
import { GateMaker } from './panels/gate-maker.js';
import { GradCheck } from './panels/gradcheck.js';
import { GraphView } from './panels/graph.js';
import { Quiz } from './panels/quiz.js';
import { serialize } from './state.js';
import { embed, linkNotice, quiz, state } from './store.js';

export function App({ player, onQuiz }: { player: Player; onQuiz: (on: boolean) => void }) {
  if (embed.value) return <Embedded player={player} onQuiz={onQuiz} />;
  return (
    <>
      <header class="top">
        <h1>
          chainrule <span class="tagline">backpropagation you can watch</span>
        </h1>
        <p class="legend-line">
          <span class="value-sample">2.00</span> forward value (green, above the wire) ·{' '}
          <span class="grad-sample">◂ −0.20</span> gradient dL/d· (red, italic, below)
        </p>
      </header>
      <LinkNotice />
      <main class="layout">
        <div class="side">
          <Editor />
          <GateMaker />
          <Gallery />
          <GradCheck />
          <Export />
        </div>
        <div class="stage">
          <Controls player={player} onQuiz={onQuiz} />
          {quiz.value ? <Quiz /> : <StepCaption />}
          <GraphView />
        </div>
      </main>
    </>
  );
}

function LinkNotice() {
  return linkNotice.value ? (
    <div class="notice" role="alert">
      <pre>{linkNotice.value}</pre>
      <button type="button" onClick={() => (linkNotice.value = null)}>
        Dismiss
      </button>
    </div>
  ) : null;
}

/**
 * Embed mode (`#…&embed=1`): only the player, the caption and the graph, filling the frame —
 * for an iframe in a course page or a slide. A link opens the same state as the full page.
 */
function Embedded({ player, onQuiz }: { player: Player; onQuiz: (on: boolean) => void }) {
  const full = serialize({ ...state.value, embed: false });
  return (
    <main class="embed">
      <LinkNotice />
      <Controls player={player} onQuiz={onQuiz} embedded />
      {quiz.value ? <Quiz /> : <StepCaption />}
      <GraphView />
      <a class="embed-open" href={full} target="_blank" rel="noopener">
        open in chainrule ↗
      </a>
    </main>
  );
}
