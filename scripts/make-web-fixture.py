#!/usr/bin/env python3
"""The browser test's input: activations of a small ReLU net written by NumPy itself
(np.savez_compressed), so that the page reads a file no infomem code wrote.
Run with Debian's python3-numpy:  /usr/bin/python3 scripts/make-web-fixture.py"""
import numpy as np

rng = np.random.default_rng(20261201)
S = 600
x = rng.normal(size=(S, 8))
w1 = rng.normal(size=(8, 24)) / np.sqrt(8)
h1 = np.maximum(x @ w1 + 0.1, 0)
w2 = rng.normal(size=(24, 16)) / np.sqrt(24)
h2 = np.maximum(h1 @ w2, 0)
np.savez_compressed('test/fixtures/web/numpy-activations.npz', fc1=h1.astype(np.float32), fc2=h2.astype(np.float32))
print('wrote test/fixtures/web/numpy-activations.npz', h1.shape, h2.shape)
