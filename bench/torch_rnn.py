"""PyTorch on the CPU, one thread, on the benchmark's training workloads (run by `cargo xtask bench`).

What a student would write offline: `nn.RNN(tanh, bias=False)` for U and W, `nn.Linear(bias=False)`
for V, the cross-entropy summed over the steps of a sequence (the notebook's loss) and averaged
over the batch, `loss.backward()` and `torch.optim.SGD` or `Adam`. No truncation: autograd runs
the exact BPTT, which is what the workloads with truncate >= steps compute.

Workloads (the same shapes as the core's, see xtask/src/bench.rs):
  a    notebook layout, H 100, 14 steps of a 10-wide one-hot, batch 1, SGD lr 0.005
  a32  the same shapes, batch 32, Adam lr 0.001
  c32  the carry preset: aligned layout, 8 steps of a 20-wide two-hot, H 32, batch 32, Adam lr 0.02
each in float64 (`torch-f64`) and float32 (`torch-f32`). The gradients are checked against the
notebook's numpy bptt (bench/notebook.py) before anything is timed.

The gated cells, `torch.nn.GRU` / `torch.nn.LSTM` (PyTorch's defaults: biases, one layer, the
(T, B, C) layout) + `nn.Linear(H, 10, bias=False)`, the loss as above: one forward and one
backward per step over the batch as a (T, B, 10) tensor, no per-step Python loop. The core's gated
cells are these equations (docs/cells.md loads a saved run into torch.nn.GRU/LSTM). On the notebook's
shapes (H 100, 14 steps of a 10-wide one-hot, nothing truncated):
  gru1, lstm1     batch 1, SGD lr 0.005
  gru32, lstm32   Adam lr 0.001 at batch 32

`--workloads a32,gru1` runs only those.

Prints `RESULT <engine> <workload> <sequences per second>`. Exits with status 3 and an install hint
when torch cannot be imported.
"""

import argparse
import os
import sys

for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ.setdefault(_var, '1')

try:
    import torch
    from torch import nn
except ImportError:
    print('PyTorch is not installed: `pip install torch` (a large download), then run the benchmark again', file=sys.stderr)
    sys.exit(3)

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import notebook  # noqa: E402  (the numpy workloads' data, timing and the notebook's own bptt)


class TorchRNN(nn.Module):
    def __init__(self, input_dim, hidden_dim):
        super().__init__()
        self.rnn = nn.RNN(input_dim, hidden_dim, nonlinearity='tanh', bias=False, batch_first=True)
        self.out = nn.Linear(hidden_dim, 10, bias=False)

    def loss(self, x, y):
        """x: (B, T, I), y: (B, T). The loss summed over the steps, averaged over the batch."""
        states, _ = self.rnn(x)
        logits = self.out(states)
        return nn.functional.cross_entropy(logits.reshape(-1, 10), y.reshape(-1), reduction='sum') / x.shape[0]


class TorchGated(nn.Module):
    """torch.nn.GRU or torch.nn.LSTM and a bias-free output layer, on (T, B, C) inputs."""

    def __init__(self, cell, input_dim, hidden_dim):
        super().__init__()
        self.rnn = (nn.GRU if cell == 'gru' else nn.LSTM)(input_dim, hidden_dim)
        self.out = nn.Linear(hidden_dim, 10, bias=False)

    def loss(self, x, y):
        """x: (T, B, I), y: (T, B). The loss summed over the steps, averaged over the batch."""
        states, _ = self.rnn(x)
        logits = self.out(states)
        return nn.functional.cross_entropy(logits.reshape(-1, 10), y.reshape(-1), reduction='sum') / x.shape[1]


# (workload, cell, batch, optimizer, learning rate): H 100, the notebook's layout
GATED = (
    ('gru1', 'gru', 1, 'sgd', 0.005),
    ('lstm1', 'lstm', 1, 'sgd', 0.005),
    ('gru32', 'gru', 32, 'adam', 0.001),
    ('lstm32', 'lstm', 32, 'adam', 0.001),
)


def optimizer_for(model, optimizer, lr):
    return (torch.optim.SGD(model.parameters(), lr=lr) if optimizer == 'sgd'
            else torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8))


def check_against_notebook(X, y):
    np.random.seed(10)
    ref = notebook.RNN(10, 100, 20)
    model = TorchRNN(10, 100).double()
    with torch.no_grad():
        model.rnn.weight_ih_l0.copy_(torch.from_numpy(ref.U))
        model.rnn.weight_hh_l0.copy_(torch.from_numpy(ref.W))
        model.out.weight.copy_(torch.from_numpy(ref.V))
    x = torch.from_numpy(np.eye(10)[X[0]][None])
    model.loss(x, torch.from_numpy(y[0][None])).backward()
    dU, dV, dW = ref.bptt(X[0], y[0])
    for name, ours, theirs in (('U', model.rnn.weight_ih_l0.grad, dU), ('V', model.out.weight.grad, dV), ('W', model.rnn.weight_hh_l0.grad, dW)):
        assert np.allclose(ours.numpy(), theirs, rtol=1e-9, atol=1e-12), f'torch gradient of {name} differs from the notebook'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--seconds', type=float, default=0.5)
    p.add_argument('--workloads', help='comma-separated workloads to run (default: all)')
    args = p.parse_args()
    wanted = set(args.workloads.split(',')) if args.workloads else None
    run = lambda workload: wanted is None or workload in wanted
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    X, y = notebook.data(1000)
    check_against_notebook(X, y)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread', file=sys.stderr)
    workloads = (
        ('a', 'notebook', 100, 1, 'sgd', 0.005),
        ('a32', 'notebook', 100, 32, 'adam', 0.001),
        ('c32', 'aligned', 32, 32, 'adam', 0.02),
    )
    data = {layout: notebook.batch_data(3200, layout) for layout in ('notebook', 'aligned')}
    for dtype, engine in ((torch.float64, 'torch-f64'), (torch.float32, 'torch-f32')):
        for workload, layout, hidden, batch, optimizer, lr in workloads:
            if not run(workload):
                continue
            Xn, Yn = data[layout]
            xs, ys = torch.from_numpy(Xn).to(dtype), torch.from_numpy(Yn)
            torch.manual_seed(10)
            model = TorchRNN(xs.shape[2], hidden).to(dtype)
            opt = optimizer_for(model, optimizer, lr)
            k = 0

            def step():
                nonlocal k
                j = (k * batch) % 3200
                opt.zero_grad(set_to_none=True)
                model.loss(xs[j:j + batch], ys[j:j + batch]).backward()
                opt.step()
                k += 1
            print('RESULT', engine, workload, notebook.rate(step, batch, args.runs, args.seconds), flush=True)
        Xn, Yn = data['notebook']
        for workload, cell, batch, optimizer, lr in GATED:
            if not run(workload):
                continue
            # the batches as (T, B, C) tensors, made before the clock starts
            xs = torch.from_numpy(Xn).to(dtype).transpose(0, 1)
            ys = torch.from_numpy(Yn).transpose(0, 1)
            batches = [(xs[:, j:j + batch].contiguous(), ys[:, j:j + batch].contiguous())
                       for j in range(0, xs.shape[1] - batch + 1, batch)]
            torch.manual_seed(10)
            model = TorchGated(cell, 10, 100).to(dtype)
            opt = optimizer_for(model, optimizer, lr)
            k = 0

            def step():
                nonlocal k
                x, y = batches[k % len(batches)]
                opt.zero_grad(set_to_none=True)
                model.loss(x, y).backward()
                opt.step()
                k += 1
            print('RESULT', engine, workload, notebook.rate(step, batch, args.runs, args.seconds), flush=True)


if __name__ == '__main__':
    sys.exit(main())
