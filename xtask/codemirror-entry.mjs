// The homework editor's part of CodeMirror 6, bundled by `cargo xtask build` (esbuild) into
// www/vendor/codemirror.js: one file the page imports when the Homework section opens.
export { EditorView, basicSetup } from 'codemirror';
export { EditorState } from '@codemirror/state';
export { keymap } from '@codemirror/view';
export { indentWithTab } from '@codemirror/commands';
export { javascript } from '@codemirror/lang-javascript';
export { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
export { tags } from '@lezer/highlight';
