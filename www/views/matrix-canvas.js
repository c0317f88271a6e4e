// @ts-check
// A matrix drawn on a canvas, one pixel per entry scaled up by CSS with crisp edges, that says
// which entry the pointer is on: hovering reads out, and so does a tap (touch screens have no
// hover; the read-out stays after the finger lifts). Behind every hover grid of the page: the
// hidden-state heatmap, the output probabilities (drawn by their view, with `locate` for its
// cells), the gradient flow and the weights.

/** @typedef {{ row: number, col: number }} Cell */
/** @typedef {(x: number, y: number, rect: DOMRect) => Cell | null} Locate the cell at (x, y) px from the canvas's top left corner */

export class MatrixCanvas {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ onHover: (cell: Cell | null) => void, onClick?: (cell: Cell) => void, locate?: Locate }} handlers
   *   `locate`: where the cells are, for a grid not drawn by `draw` (by default `rows` × `cols` cells fill the canvas)
   */
  constructor(canvas, { onHover, onClick, locate }) {
    this.canvas = canvas;
    this.rows = 0;
    this.cols = 0;
    this.locate = locate;
    let touched = false;
    canvas.addEventListener('mousemove', (e) => onHover(this.cellAt(e)));
    canvas.addEventListener('mouseleave', () => {
      if (!touched) onHover(null);
      touched = false;
    });
    canvas.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse') return;
      touched = true;
      onHover(this.cellAt(e));
    });
    if (onClick) {
      canvas.addEventListener('click', (e) => {
        const cell = this.cellAt(e);
        if (cell) onClick(cell);
      });
    }
  }

  /** @param {MouseEvent} e @returns {Cell | null} */
  cellAt(e) {
    const r = this.canvas.getBoundingClientRect();
    if (this.locate) return this.locate(e.clientX - r.left, e.clientY - r.top, r);
    if (!this.rows || !this.cols || r.width === 0 || r.height === 0) return null;
    const col = Math.floor(((e.clientX - r.left) / r.width) * this.cols);
    const row = Math.floor(((e.clientY - r.top) / r.height) * this.rows);
    return row >= 0 && row < this.rows && col >= 0 && col < this.cols ? { row, col } : null;
  }

  /**
   * Draws every entry in the colour `rgba(row, col)` gives.
   * @param {number} rows @param {number} cols
   * @param {(row: number, col: number) => [number, number, number, number]} rgba 0-255 each
   */
  draw(rows, cols, rgba) {
    this.rows = rows;
    this.cols = cols;
    if (this.canvas.width !== cols || this.canvas.height !== rows) {
      this.canvas.width = cols;
      this.canvas.height = rows;
    }
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    const img = ctx.createImageData(cols, rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) img.data.set(rgba(i, j), (i * cols + j) * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
}
