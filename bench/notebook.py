"""numpy on the benchmark's workloads (run by `cargo xtask bench`, one engine at a time).

Two engines:
- `numpy-notebook`: the notebook's own functions, verbatim (imported from
  tests/fixtures/golden.py), on workloads a, b and d.
- `numpy-best`: what a numpy user would write for speed. Only the recurrence stays a loop (one
  matrix-vector product per step, forward and back); everything else is one array operation over
  the whole sequence: U x_t for all steps as a column gather, the softmax of all steps at once,
  dV = dO^T S, dW = D^T S_prev, dU = D^T X (X one-hot). Truncated BPTT (workload b) runs the
  notebook's nested loops as `truncate + 1` products over all output steps at once (row t holds
  output t's error after j steps back). Batch 32 with Adam (workloads a32 and c32) runs the batch
  as the rows of each product, and so does the loss of workload d (every sequence at once).
  Each is checked against the notebook's bptt before it is timed.

BLAS is pinned to one thread (OPENBLAS_NUM_THREADS etc., set before numpy is imported) so the
comparison with the single-threaded engines is fair.

Prints `RESULT <engine> <workload> <sequences per second>`: the median of --runs timed runs after
a warm-up, each run at least --seconds long.
"""

import os

for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS'):
    os.environ.setdefault(_var, '1')

import argparse
import statistics
import sys
import time

import numpy as np

# the notebook's own functions, verbatim, from the golden generator (one copy in the repository)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures'))
from golden import RNN, array_to_decimal, decimal_to_array, softmax  # noqa: E402,F401



class BestRNN(RNN):
    """The notebook's model with its forward pass and BPTT written as whole-array operations."""

    def forward_propagation(self, x):
        T = len(x)
        s = np.zeros((T + 1, self.hidden_dim))  # s[-1] is the zero state, as in the notebook
        ux = self.U[:, x].T  # U x_t for every step: the columns the one-hot inputs pick
        for t in range(T):
            s[t] = np.tanh(ux[t] + self.W.dot(s[t - 1]))
        z = s[:T] @ self.V.T
        z -= z.max(axis=1, keepdims=True)
        o = np.exp(z)
        o /= o.sum(axis=1, keepdims=True)
        return [o, s]

    def calculate_loss(self, x, y):
        """The mean loss per digit, every sequence at once (they all have the same length)."""
        x, y = np.asarray(x), np.asarray(y)
        N, T = y.shape
        s = np.zeros((N, self.hidden_dim))
        total = 0.
        for t in range(T):
            s = np.tanh(self.U[:, x[:, t]].T + s @ self.W.T)
            z = s @ self.V.T
            z -= z.max(axis=1, keepdims=True)
            total -= (z[np.arange(N), y[:, t]] - np.log(np.exp(z).sum(axis=1))).sum()
        return total / (N * T)

    def bptt(self, x, y):
        T = len(y)
        o, s = self.forward_propagation(x)
        delta_o = o
        delta_o[np.arange(T), y] -= 1.
        states, s_prev = s[:T], np.roll(s, 1, axis=0)[:T]  # s_prev[t] = s[t-1], the zero state at t 0
        onehot = np.eye(self.input_dim)[x]
        back = delta_o @ self.V  # V^T delta_o for every step
        gate = 1 - states ** 2
        if self.bptt_truncate + 1 >= T:  # nothing is cut: one backward sweep
            deltas = np.empty((T, self.hidden_dim))
            carry = np.zeros(self.hidden_dim)  # W^T delta_{t+1}
            for t in range(T - 1, -1, -1):
                deltas[t] = (back[t] + carry) * gate[t]
                carry = deltas[t] @ self.W
            dLdW, dLdU = deltas.T @ s_prev, deltas.T @ onehot
        else:  # the notebook's nested loops: every output step's error walked back j steps at once
            d = back * gate  # row i: the error of output i + j at step i
            dLdW = np.zeros(self.W.shape)
            dLdU = np.zeros(self.U.shape)
            for j in range(min(self.bptt_truncate, T - 1) + 1):
                n = T - j
                dLdW += d.T @ s_prev[:n]
                dLdU += d.T @ onehot[:n]
                if n > 1:
                    d = (d[1:] @ self.W) * (1 - s_prev[1:n] ** 2)
        return [dLdU, delta_o.T @ states, dLdW]


class BatchRNN:
    """Batch training with Adam, as in the core's batch workloads: B sequences per step, the mean
    of their gradients (the loss summed over steps), all steps' inputs one-hot (or two-hot for the
    aligned layout's 20-wide input)."""

    def __init__(self, input_dim, hidden_dim, lr, rng):
        bound_in, bound_h = np.sqrt(1. / input_dim), np.sqrt(1. / hidden_dim)
        self.params = [rng.uniform(-bound_in, bound_in, (hidden_dim, input_dim)),
                       rng.uniform(-bound_h, bound_h, (10, hidden_dim)),
                       rng.uniform(-bound_h, bound_h, (hidden_dim, hidden_dim))]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.lr, self.steps = lr, 0

    def gradients(self, X, Y):
        """X: (B, T, I) inputs, Y: (B, T) target digits. Returns dU, dV, dW (mean over B)."""
        U, V, W = self.params
        B, T, _ = X.shape
        H = W.shape[0]
        S = np.zeros((B, T + 1, H))  # S[:, 0] is the zero state
        UX = X @ U.T
        for t in range(T):
            S[:, t + 1] = np.tanh(UX[:, t] + S[:, t] @ W.T)
        z = S[:, 1:] @ V.T
        z -= z.max(axis=2, keepdims=True)
        P = np.exp(z)
        P /= P.sum(axis=2, keepdims=True)
        P[np.arange(B)[:, None], np.arange(T)[None, :], Y] -= 1.
        P /= B
        back = P @ V
        D = np.empty((B, T, H))
        carry = np.zeros((B, H))
        for t in range(T - 1, -1, -1):
            D[:, t] = (back[:, t] + carry) * (1 - S[:, t + 1] ** 2)
            carry = D[:, t] @ W
        D2, X2 = D.reshape(-1, H), X.reshape(B * T, -1)
        return [D2.T @ X2, P.reshape(-1, 10).T @ S[:, 1:].reshape(-1, H), D2.T @ S[:, :-1].reshape(-1, H)]

    def adam_step(self, X, Y, beta1=0.9, beta2=0.999, eps=1e-8):
        self.steps += 1
        for p, m, v, g in zip(self.params, self.m, self.v, self.gradients(X, Y)):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            m_hat = m / (1 - beta1 ** self.steps)
            v_hat = v / (1 - beta2 ** self.steps)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + eps)


def data(n, n_digits=7):
    np.random.seed(10)
    X = np.random.randint(10, size=(n, 2 * n_digits))
    y = np.zeros((n, 2 * n_digits), dtype=int)
    for i in range(n):
        y[i] = decimal_to_array(array_to_decimal(X[i, :n_digits]) + array_to_decimal(X[i, n_digits:]), 2 * n_digits)
    return X, y


def batch_data(n, layout, n_digits=7, seed=10):
    """n sums as (inputs (n, T, I), targets (n, T)) in the notebook's or the aligned layout."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 10, size=(n, n_digits))
    b = rng.integers(0, 10, size=(n, n_digits))
    value = lambda d: (d * 10 ** np.arange(n_digits - 1, -1, -1)).sum(axis=1)
    total = value(a) + value(b)
    if layout == 'notebook':
        T = 2 * n_digits
        X = np.eye(10)[np.concatenate([a, b], axis=1)]
        Y = (total[:, None] // 10 ** np.arange(T - 1, -1, -1)) % 10
    else:  # aligned: step i reads a_i and b_i (least significant first), outputs sum digit i
        T = n_digits + 1
        pad = np.zeros((n, 1), dtype=int)
        ar, br = np.concatenate([a[:, ::-1], pad], axis=1), np.concatenate([b[:, ::-1], pad], axis=1)
        X = np.concatenate([np.eye(10)[ar], np.eye(10)[br]], axis=2)
        Y = (total[:, None] // 10 ** np.arange(T)) % 10
    return X, Y


def rate(step, per_step, runs, seconds):
    """Sequences per second: the median of `runs` timed runs after a warm-up, each at least `seconds`."""
    step()
    rates = []
    for _ in range(runs):
        done, t0 = 0, time.perf_counter()
        while True:
            step()
            done += per_step
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        rates.append(done / elapsed)
    return statistics.median(rates)


def check_against_notebook(X, y):
    """The fast versions must compute the notebook's gradients before their speed counts."""
    for truncate in (20, 3):
        np.random.seed(10)
        slow = RNN(10, 100, truncate)
        fast = BestRNN(10, 100, truncate)
        fast.U, fast.V, fast.W = slow.U, slow.V, slow.W
        for i in range(3):
            for g_slow, g_fast in zip(slow.bptt(X[i], y[i]), fast.bptt(X[i], y[i])):
                assert np.allclose(g_slow, g_fast, rtol=1e-10, atol=1e-12), f'numpy-best bptt (truncate {truncate}) differs from the notebook'
    np.random.seed(10)
    slow = RNN(10, 100, 20)
    fast = BestRNN(10, 100, 20)
    fast.U, fast.V, fast.W = slow.U, slow.V, slow.W
    assert np.isclose(slow.calculate_loss(X[:50], y[:50]), fast.calculate_loss(X[:50], y[:50]), rtol=1e-12), 'numpy-best loss differs'
    batch = BatchRNN(10, 100, 0.001, np.random.default_rng(1))
    single = BestRNN(10, 100, 20)
    single.U, single.V, single.W = batch.params
    Xb = np.eye(10)[X[:2]]
    g_batch = batch.gradients(Xb, y[:2])
    g_single = [(a + b) / 2 for a, b in zip(single.bptt(X[0], y[0]), single.bptt(X[1], y[1]))]
    for a, b in zip(g_batch, g_single):
        assert np.allclose(a, b, rtol=1e-10, atol=1e-12), 'numpy-best batch gradients differ from the notebook'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--seconds', type=float, default=0.5)
    p.add_argument('--engines', default='numpy-notebook,numpy-best')
    args = p.parse_args()
    engines = args.engines.split(',')
    X, y = data(1000)
    check_against_notebook(X, y)
    blas = np.__config__.CONFIG.get('Build Dependencies', {}).get('blas', {}).get('name', '?')
    print(f'numpy {np.__version__}, BLAS {blas}, OPENBLAS_NUM_THREADS={os.environ["OPENBLAS_NUM_THREADS"]}', file=sys.stderr)

    def sgd(model):
        i = 0

        def step():
            nonlocal i
            model.sgd_step(X[i % 1000], y[i % 1000], 0.005)
            i += 1
        return step

    def loss(model):
        return lambda: model.calculate_loss(X[:100], y[:100])

    def result(engine, workload, value):
        print('RESULT', engine, workload, value, flush=True)

    for engine, cls in (('numpy-notebook', RNN), ('numpy-best', BestRNN)):
        if engine not in engines:
            continue
        for workload, truncate in (('a', 20), ('b', 3)):
            np.random.seed(10)
            result(engine, workload, rate(sgd(cls(10, 100, truncate)), 1, args.runs, args.seconds))
        np.random.seed(10)
        result(engine, 'd', rate(loss(cls(10, 100, 20)), 100, args.runs, args.seconds))
    if 'numpy-best' in engines:
        for workload, layout, hidden, lr in (('a32', 'notebook', 100, 0.001), ('c32', 'aligned', 32, 0.02)):
            Xb, Yb = batch_data(3200, layout)
            model = BatchRNN(Xb.shape[2], hidden, lr, np.random.default_rng(10))
            k = 0

            def step():
                nonlocal k
                j = (k % 100) * 32
                model.adam_step(Xb[j:j + 32], Yb[j:j + 32])
                k += 1
            result('numpy-best', workload, rate(step, 32, args.runs, args.seconds))


if __name__ == '__main__':
    sys.exit(main())
