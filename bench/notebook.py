"""The notebook's own numpy code, timed on the benchmark's workloads (run by `cargo xtask bench`).

The functions between the markers are the notebook's, verbatim (copied from
tests/fixtures/golden.py). `SinglePassRNN` adds what a numpy user would write instead of the
nested loops: one backward sweep, equal to them when truncation cuts nothing.

Prints `RESULT <engine> <workload> <sequences per second>` lines. numpy is slow, so each run
covers the first --samples sequences of the data set rather than all 1000.
"""

import argparse
import statistics
import sys
import time

import numpy as np

# ------------------------------------------------------------------ notebook code (verbatim)


def softmax(x):
    xt = np.exp(x - np.max(x))
    return xt / np.sum(xt)


def array_to_decimal(array):
    return int(''.join([str(i) for i in array]), 10)


def decimal_to_array(num, n_digits):
    return np.int_(list(("%%0%dd" % n_digits) % num)[-n_digits:])


class RNN:
    def __init__(self, input_dim=10, hidden_dim=100, bptt_truncate=20):
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.bptt_truncate = bptt_truncate
        self.U = np.random.uniform(-np.sqrt(1./input_dim), np.sqrt(1./input_dim), (hidden_dim, input_dim))
        self.V = np.random.uniform(-np.sqrt(1./hidden_dim), np.sqrt(1./hidden_dim), (input_dim, hidden_dim))
        self.W = np.random.uniform(-np.sqrt(1./hidden_dim), np.sqrt(1./hidden_dim), (hidden_dim, hidden_dim))

    def forward_propagation(self, x):
        T = len(x)
        s = np.zeros((T + 1, self.hidden_dim))
        s[-1] = np.zeros(self.hidden_dim)
        o = np.zeros((T, self.input_dim))
        for t in np.arange(T):
            s[t] = np.tanh(self.U[:, x[t]] + self.W.dot(s[t-1]))
            o[t] = softmax(self.V.dot(s[t]))
        return [o, s]

    def predict(self, x):
        o, s = self.forward_propagation(x)
        return np.argmax(o, axis=1)

    def calculate_total_loss(self, x, y):
        L = 0
        for i in np.arange(len(y)):
            o, s = self.forward_propagation(x[i])
            correct_word_predictions = o[np.arange(len(y[i])), y[i]]
            L += -1 * np.sum(np.log(correct_word_predictions))
        return L

    def calculate_loss(self, x, y):
        N = sum((len(y_i) for y_i in y))
        return self.calculate_total_loss(x, y)/N

    def bptt(self, x, y):
        T = len(y)
        o, s = self.forward_propagation(x)
        dLdU = np.zeros(self.U.shape)
        dLdV = np.zeros(self.V.shape)
        dLdW = np.zeros(self.W.shape)
        delta_o = o
        delta_o[np.arange(len(y)), y] -= 1.
        for t in np.arange(T)[::-1]:
            dLdV += np.outer(delta_o[t], s[t].T)
            delta_t = self.V.T.dot(delta_o[t]) * (1 - (s[t] ** 2))
            for bptt_step in np.arange(max(0, t-self.bptt_truncate), t+1)[::-1]:
                dLdW += np.outer(delta_t, s[bptt_step-1])
                dLdU[:, x[bptt_step]] += delta_t
                delta_t = self.W.T.dot(delta_t) * (1 - s[bptt_step-1] ** 2)
        return [dLdU, dLdV, dLdW]

    def sgd_step(self, x, y, learning_rate):
        dLdU, dLdV, dLdW = self.bptt(x, y)
        self.U -= learning_rate * dLdU
        self.V -= learning_rate * dLdV
        self.W -= learning_rate * dLdW

# ------------------------------------------------------------------ end of the notebook's code


class SinglePassRNN(RNN):
    def bptt(self, x, y):
        T = len(y)
        o, s = self.forward_propagation(x)
        dLdU = np.zeros(self.U.shape)
        dLdV = np.zeros(self.V.shape)
        dLdW = np.zeros(self.W.shape)
        delta_o = o
        delta_o[np.arange(len(y)), y] -= 1.
        carry = np.zeros(self.hidden_dim)  # W.T delta_{t+1}: what step t+1 sends back into s_t
        for t in np.arange(T)[::-1]:
            dLdV += np.outer(delta_o[t], s[t])
            delta_t = (self.V.T.dot(delta_o[t]) + carry) * (1 - s[t] ** 2)
            dLdW += np.outer(delta_t, s[t-1])
            dLdU[:, x[t]] += delta_t
            carry = self.W.T.dot(delta_t)
        return [dLdU, dLdV, dLdW]


def data(n, n_digits=7):
    np.random.seed(10)
    X = np.random.randint(10, size=(n, 2 * n_digits))
    y = np.zeros((n, 2 * n_digits), dtype=int)
    for i in range(n):
        y[i] = decimal_to_array(array_to_decimal(X[i, :n_digits]) + array_to_decimal(X[i, n_digits:]), 2 * n_digits)
    return X, y


def rate(fn, n, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--samples', type=int, default=100)
    p.add_argument('--runs', type=int, default=3)
    args = p.parse_args()
    X, y = data(args.samples)
    n = args.samples

    def epoch(model):
        def run():
            for i in range(n):
                model.sgd_step(X[i], y[i], 0.005)
        return run

    for engine, cls in (('numpy-notebook', RNN), ('numpy-single-pass', SinglePassRNN)):
        for workload, truncate in (('a', 20), ('b', 3)):
            if cls is SinglePassRNN and workload == 'b':
                continue  # one sweep cannot truncate: the notebook's loops are the only numpy version
            np.random.seed(10)
            print('RESULT', engine, workload, rate(epoch(cls(10, 100, truncate)), n, args.runs), flush=True)
    np.random.seed(10)
    model = RNN(10, 100, 20)
    print('RESULT numpy-notebook d', rate(lambda: model.calculate_loss(X, y), n, args.runs), flush=True)


if __name__ == '__main__':
    sys.exit(main())
