// The notebook's gradient check, on demand: backpropagation against central differences for a
// sample of every weight matrix. With truncation below T − 1 the U and W gradients are
// approximations, and the check says so.

export class GradientCheckView {
  constructor(root, run) {
    this.button = root.querySelector('button');
    this.output = root.querySelector('.result');
    this.button.addEventListener('click', async () => {
      this.button.disabled = true;
      this.output.textContent = 'Checking…';
      try {
        const rows = await run();
        if (rows) this.#show(rows);
      } catch (e) {
        this.output.textContent = e.message;
      } finally {
        this.button.disabled = false;
      }
    });
  }

  #show(rows) {
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th scope="col">weights</th><th scope="col">entries checked</th><th scope="col">largest relative error</th><th scope="col">result</th></tr></thead>';
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.innerHTML = `<th scope="row">${r.parameter}</th><td>${r.checked} of ${r.size}</td><td>${r.maxRelativeError.toExponential(2)}</td><td class="${r.passed ? 'ok' : 'bad'}">${r.passed ? '✓ passed' : '✗ failed'}</td>`;
    }
    this.output.replaceChildren(table);
  }
}
