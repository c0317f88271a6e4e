// What www/homework/editor.js uses of the CodeMirror bundle (www/vendor/codemirror.js, built from
// xtask/codemirror-entry.mjs), declared loosely: the bundle has no declarations of its own.
export const EditorView: any;
export const EditorState: any;
export const basicSetup: any;
export const keymap: any;
export const indentWithTab: any;
export function javascript(options?: { typescript?: boolean }): any;
export const HighlightStyle: any;
export const syntaxHighlighting: any;
export const tags: any;
