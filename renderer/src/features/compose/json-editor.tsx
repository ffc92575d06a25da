/**
 * A CodeMirror 6 JSON editor bound to a JSON object, in sync both ways: a new object from outside (the
 * form) replaces the text unless it is what the editor itself last produced (so the user's own formatting
 * survives their typing); text that parses to an object is handed up at once; anything else shows the
 * parse error and hands nothing up, so the last good object stays in force.
 *
 * Styles and the CSP: CodeMirror's style-mod adds a <style> element when the editor lives in the document
 * (blocked by `style-src 'self'`) and constructable stylesheets (adoptedStyleSheets, which the CSP does not
 * govern) only inside a shadow root. So the editor is mounted in an open shadow root on its host; the
 * theme below reads the app's colours through CSS custom properties, which inherit into it.
 *
 * Built from the CodeMirror 6 packages directly (@codemirror/view, state, language, commands): the
 * `codemirror` meta-package the registry resolves for `codemirror@6` is 6.65.x, CodeMirror 5 published under
 * a 6.x number, so it is not a dependency. Undo history and the standard keymap come from @codemirror/commands.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import type { ViewUpdate } from '@codemirror/view';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../../shared/jwt';

/** Props of a JsonEditor. */
export interface JsonEditorProps {
  /** Visible title and the editor's accessible name. */
  label: string;
  value: JsonObject;
  onChange: (next: JsonObject) => void;
  /** The smaller header editor. */
  compact?: boolean;
}

/** The editor's look, from the app's design tokens (custom properties inherit into the shadow root). */
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--text)', fontSize: '12.5px', maxHeight: 'var(--json-editor-max-height, 420px)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)', padding: '8px 0' },
  '.cm-gutters': { backgroundColor: 'var(--bg-subtle)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--json-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--json-active-line)', color: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--accent-border)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--accent-subtle)', outline: '1px solid var(--accent-border)' },
});

/** JSON token colours, light and dark (the values are set in compose.css). */
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--json-key)' },
  { tag: tags.string, color: 'var(--json-string)' },
  { tag: tags.number, color: 'var(--json-number)' },
  { tag: [tags.bool, tags.null], color: 'var(--json-literal)' },
  { tag: tags.invalid, color: 'var(--danger-text)' },
]);

function pretty(value: JsonObject): string {
  return JSON.stringify(value, null, 2);
}

/** Parses editor text; an error message when it is not a JSON object. */
function parseObject(text: string): { value: JsonObject } | { error: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not-object' };
    return { value: value as JsonObject };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** A labelled JSON editor. */
export function JsonEditor({ label, value, onChange, compact = false }: JsonEditorProps) {
  const { t } = useTranslation();
  const labelId = useId();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  /** The JSON (canonical) of the object the editor last handed up, or was last given. */
  const synced = useRef(pretty(value));
  const onChangeRef = useRef(onChange);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // Create the editor once (in the host's shadow root); the value effect below keeps it current.
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    shadow.append(mount);
    const editor = new EditorView({
      doc: synced.current,
      root: shadow,
      parent: mount,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        // Tab is left to the browser so keyboard users can leave the editor (no focus trap).
        keymap.of([...defaultKeymap, ...historyKeymap]),
        bracketMatching(),
        syntaxHighlighting(highlight),
        json(),
        theme,
        EditorView.lineWrapping,
        // ID references do not cross the shadow boundary, so the name is given as a string.
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
        EditorView.updateListener.of((update: ViewUpdate) => {
          if (!update.docChanged) return;
          const parsed = parseObject(update.state.doc.toString());
          if ('error' in parsed) {
            setError(parsed.error);
            return;
          }
          setError(null);
          // The editor's own replacement (below) parses to what it was given: nothing to hand up.
          const text = pretty(parsed.value);
          if (text === synced.current) return;
          synced.current = text;
          onChangeRef.current(parsed.value);
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      mount.remove();
      view.current = null;
    };
  }, [label]);

  // A new object from outside replaces the text (and clears a parse error the user left behind).
  useEffect(() => {
    const text = pretty(value);
    const editor = view.current;
    if (!editor || text === synced.current) return;
    synced.current = text;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  }, [value]);

  return (
    <section className={compact ? 'json-editor json-editor-compact' : 'json-editor'} aria-labelledby={labelId}>
      <h3 id={labelId} className="json-editor-title">
        {label}
      </h3>
      <div ref={host} className="json-editor-host" />
      <p className={error ? 'field-error' : 'sr-only'} aria-live="polite">
        {error === null ? '' : error === 'not-object' ? t('compose.editor.notObject') : t('compose.editor.parseError', { message: error })}
      </p>
    </section>
  );
}
