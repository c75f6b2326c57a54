import { useLayoutEffect, useRef } from 'preact/hooks';
import { messageParts } from '../error-parts.js';

/**
 * An error message under a field. Prose wraps (a phone is narrower than a message); an excerpt
 * with its caret line scrolls sideways instead, opened with the caret in view, so the caret
 * stays under the column it points at.
 */
export function ErrorText({ id, message }: { id?: string; message: string }) {
  const parts = messageParts(message);
  return (
    <pre {...(id === undefined ? {} : { id })} class="field-error" role="alert">
      {parts.map((part, i) => {
        // The message's own line breaks stay (its text reads as the library wrote it); one at
        // the end of a block draws nothing.
        const end = i < parts.length - 1 ? '\n' : '';
        return 'prose' in part ? (
          part.prose + end
        ) : (
          <Excerpt key={i} text={part.excerpt} end={end} />
        );
      })}
    </pre>
  );
}

function Excerpt({ text, end }: { text: string; end: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [line, caretLine] = text.split('\n') as [string, string];
  const lead = caretLine.search(/\^/);
  useLayoutEffect(() => {
    const el = ref.current;
    const carets = el?.querySelector('.carets');
    if (!el || !carets) return;
    // Where the carets start, from the excerpt's left edge: scroll them into the middle when
    // they would be out of view.
    const left = carets.getBoundingClientRect().left - el.getBoundingClientRect().left;
    if (left > el.clientWidth - 24) el.scrollLeft = left - el.clientWidth / 2;
  }, [text]);
  return (
    <span class="excerpt" ref={ref}>
      {line}
      {'\n'}
      {caretLine.slice(0, lead)}
      <span class="carets">{caretLine.slice(lead).trimEnd()}</span>
      {end}
    </span>
  );
}
