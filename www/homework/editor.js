// @ts-check
// The homework's code editor: CodeMirror 6 (www/vendor/codemirror.js, bundled at build time),
// imported only when the Homework section opens. JavaScript highlighting, line numbers, undo;
// Tab indents (Escape, then Tab, leaves the editor). Its text box is named "Your code".
//
// It lives in a shadow root: CodeMirror's styles then go into a constructed style sheet
// (adoptedStyleSheets), which the page's CSP (style-src 'self', no inline style) allows, where in
// the document itself they would need a <style> element. The page's colours reach it through
// its CSS custom properties, which cross the shadow boundary.

/** Colours and sizes from style.css's custom properties, so light and dark follow the page. */
const THEME = {
  '&': { height: 'var(--hw-editor-height, 34rem)', fontSize: '0.85rem', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)',
  },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
};

/**
 * Text typed (or inserted by the system: a dictation, a tool) over a selection is put in by
 * CodeMirror rather than by the browser: Chromium's own insertion over a selection that spans
 * highlighted tokens wraps the new text in a `style` attribute to keep the deleted text's look,
 * which the page's CSP (no inline style) refuses and reports. A caret (no selection) and paste
 * (CodeMirror's own) need nothing. Returning true makes CodeMirror call preventDefault.
 * @param {InputEvent} event @param {any} view
 */
function replaceSelection(event, view) {
  if (event.inputType !== 'insertText' && event.inputType !== 'insertReplacementText') return false;
  const { state } = view;
  if (state.selection.ranges.every((/** @type {{ empty: boolean }} */ r) => r.empty)) return false;
  const text = event.data ?? event.dataTransfer?.getData('text/plain');
  if (typeof text !== 'string') return false;
  const { from, to } = state.selection.main;
  const insert = () => state.update(state.replaceSelection(text), { userEvent: 'input.type', scrollIntoView: true });
  // the editor's input handlers first (closing brackets wrap a selection), as for typing
  for (const handler of state.facet(view.constructor.inputHandler)) if (handler(view, from, to, text, insert)) return true;
  view.dispatch(insert());
  return true;
}

/**
 * @param {HTMLElement} parent
 * @param {string} doc
 * @param {(text: string) => void} onChange
 */
export async function createEditor(parent, doc, onChange) {
  const {
    EditorView,
    EditorState,
    basicSetup,
    keymap,
    indentWithTab,
    javascript,
    HighlightStyle,
    syntaxHighlighting,
    tags: t,
  } = await import('../vendor/codemirror.js');
  // the syntax colours are homework.css's custom properties, one set for light and one for dark
  const colours = HighlightStyle.define([
    { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.operatorKeyword, t.modifier], color: 'var(--hw-keyword)' },
    { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--hw-comment)', fontStyle: 'italic' },
    { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--hw-number)' },
    { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--hw-string)' },
    { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.variableName)], color: 'var(--hw-function)' },
    { tag: [t.propertyName], color: 'var(--hw-property)' },
    { tag: [t.variableName, t.local(t.variableName)], color: 'var(--text)' },
    { tag: [t.invalid], color: 'var(--bad)' },
  ]);
  const host = document.createElement('div');
  host.className = 'hw-editor-host';
  parent.append(host);
  const root = host.attachShadow({ mode: 'open' });
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        javascript(),
        syntaxHighlighting(colours),
        EditorView.theme(THEME),
        // tabindex: the text box is focusable anyway (contenteditable), but saying so lets tools see
        // that the scroll area around it is reached by the keyboard
        EditorView.contentAttributes.of({ 'aria-label': 'Your code', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off', tabindex: '0' }),
        EditorView.domEventHandlers({ beforeinput: replaceSelection }),
        EditorView.updateListener.of((/** @type {any} */ u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    /** The text now. */
    text: () => /** @type {string} */ (view.state.doc.toString()),
    /** Replaces the whole text (undoable). @param {string} text */
    set(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
  };
}
