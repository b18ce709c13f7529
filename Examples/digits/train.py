#!/usr/bin/env python3
"""Train the project's own example model and write it as a TinyMaix .tmdl file.

A small CNN on scikit-learn's bundled 8x8 handwritten digits (the data ships
inside the package, nothing is downloaded):

    8x8x1 -> CONV2D 3x3 (12, SAME, relu) -> DWCONV2D 3x3 x2 (24, stride 2, relu)
          -> CONV2D 1x1 (32, relu) -> GAP -> FC (10) -> SOFTMAX

trained in float32 with plain numpy (hand-written backpropagation, Adam), then
quantised the way TFLite's post-training int8 quantisation does it: per-channel
symmetric weight scales for convolutions, a per-tensor scale for the FC,
asymmetric activation ranges calibrated on the training set, int32 biases with
the input zero point folded in (as TinyMaix's converter stores them).

Writes, next to this script:
    digits.tmdl         the int8 model
    test-images.u8      the held-out test split, 64 bytes per digit (u8, 0..255)
    test-labels.u8      one class byte per test digit

Reproducible: fixed seeds. Needs numpy and scikit-learn (pip install numpy
scikit-learn); the demo itself does not run this script, it uses the committed
files.
"""
import argparse
import os
import struct

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- data

def load_data(seed):
    digits = load_digits()
    # Pixels are 0..16; as an 8-bit image they become 0..255 (16 -> 255).
    images = np.minimum(digits.images * 16, 255).astype(np.uint8)
    return train_test_split(images, digits.target, test_size=0.2, random_state=seed, stratify=digits.target)


# ---------------------------------------------------------------- layers (NHWC, float32)

def window_indices(size, kernel, stride, pad_before, pad_after):
    out = (size + pad_before + pad_after - kernel) // stride + 1
    return out, (np.arange(out)[:, None] * stride + np.arange(kernel)[None, :])


def patches(x, k, stride, pads):
    """x (N,H,W,C) -> (N,OH,OW,K,K,C) windows over the zero-padded input."""
    top, bottom, left, right = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    oh, iy = window_indices(x.shape[1], k, stride, top, bottom)
    ow, ix = window_indices(x.shape[2], k, stride, left, right)
    p = xp[:, iy[:, None, :, None], ix[None, :, None, :], :]  # N,OH,OW,K,K,C
    return p, (xp.shape, iy, ix)


def unpatch(dp, geometry, x_shape, pads):
    xp_shape, iy, ix = geometry
    dxp = np.zeros(xp_shape, np.float32)
    np.add.at(dxp, (slice(None), iy[:, None, :, None], ix[None, :, None, :], slice(None)), dp)
    top, _, left, _ = pads
    return dxp[:, top:top + x_shape[1], left:left + x_shape[2], :]


class Conv:
    """CONV2D with weights (K,K,Cin,Cout), or DWCONV2D with weights (K,K,Cin,M)."""

    def __init__(self, rng, k, cin, cout, stride, pads, depthwise=False, multiplier=1):
        self.k, self.stride, self.pads, self.depthwise = k, stride, pads, depthwise
        fan_in = k * k * (1 if depthwise else cin)
        shape = (k, k, cin, multiplier) if depthwise else (k, k, cin, cout)
        self.w = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.b = np.zeros(cin * multiplier if depthwise else cout, np.float32)

    def forward(self, x):
        p, geometry = patches(x, self.k, self.stride, self.pads)
        self.cache = (p, geometry, x.shape)
        if self.depthwise:
            n, oh, ow = p.shape[:3]
            y = np.einsum("nyxabc,abcm->nyxcm", p, self.w).reshape(n, oh, ow, -1)
        else:
            y = np.einsum("nyxabc,abco->nyxo", p, self.w)
        return y + self.b

    def backward(self, dy):
        p, geometry, x_shape = self.cache
        self.db = dy.sum(axis=(0, 1, 2))
        if self.depthwise:
            n, oh, ow = dy.shape[:3]
            dy = dy.reshape(n, oh, ow, self.w.shape[2], self.w.shape[3])
            self.dw = np.einsum("nyxabc,nyxcm->abcm", p, dy)
            dp = np.einsum("abcm,nyxcm->nyxabc", self.w, dy)
        else:
            self.dw = np.einsum("nyxabc,nyxo->abco", p, dy)
            dp = np.einsum("abco,nyxo->nyxabc", self.w, dy)
        return unpatch(dp, geometry, x_shape, self.pads)

    def params(self):
        return [(self.w, "dw"), (self.b, "db")]


class Dense:
    def __init__(self, rng, cin, cout):
        self.w = (rng.standard_normal((cin, cout)) * np.sqrt(1.0 / cin)).astype(np.float32)
        self.b = np.zeros(cout, np.float32)

    def forward(self, x):
        self.x = x
        return x @ self.w + self.b

    def backward(self, dy):
        self.dw, self.db = self.x.T @ dy, dy.sum(axis=0)
        return dy @ self.w.T

    def params(self):
        return [(self.w, "dw"), (self.b, "db")]


class Network:
    def __init__(self, rng):
        self.conv0 = Conv(rng, 3, 1, 12, 1, (1, 1, 1, 1))
        self.dw1 = Conv(rng, 3, 12, 24, 2, (0, 1, 0, 1), depthwise=True, multiplier=2)
        self.conv2 = Conv(rng, 1, 24, 32, 1, (0, 0, 0, 0))
        self.fc = Dense(rng, 32, 10)
        self.layers = [self.conv0, self.dw1, self.conv2, self.fc]

    def forward(self, x, record=None):
        """x: (N,8,8,1) float in [0,1]. Returns logits; `record` collects activations."""
        a0 = np.maximum(self.conv0.forward(x), 0)
        a1 = np.maximum(self.dw1.forward(a0), 0)
        a2 = np.maximum(self.conv2.forward(a1), 0)
        self.masks = (a0 > 0, a1 > 0, a2 > 0)
        self.pool_shape = a2.shape
        g = a2.mean(axis=(1, 2))
        logits = self.fc.forward(g)
        if record is not None:
            record.update(conv0=a0, dw1=a1, conv2=a2, gap=g, fc=logits)
        return logits

    def backward(self, dlogits):
        dg = self.fc.backward(dlogits)
        n, h, w, c = self.pool_shape
        da2 = np.broadcast_to(dg[:, None, None, :] / (h * w), self.pool_shape) * self.masks[2]
        da1 = self.conv2.backward(da2) * self.masks[1]
        da0 = self.dw1.backward(da1) * self.masks[0]
        self.conv0.backward(da0)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def train(net, x, y, epochs, rng, lr=0.01):
    moments = {}
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), 32):
            batch = order[start:start + 32]
            probabilities = softmax(net.forward(x[batch]))
            dlogits = probabilities.copy()
            dlogits[np.arange(len(batch)), y[batch]] -= 1
            net.backward(dlogits / len(batch))
            step += 1
            for layer in net.layers:
                for param, grad_name in layer.params():
                    grad = getattr(layer, grad_name)
                    m, v = moments.setdefault(id(param), (np.zeros_like(param), np.zeros_like(param)))
                    m[:] = 0.9 * m + 0.1 * grad
                    v[:] = 0.999 * v + 0.001 * grad * grad
                    rate = lr * (0.5 if epoch >= epochs * 0.6 else 1.0) * (0.2 if epoch >= epochs * 0.85 else 1.0)
                    param -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)


# ---------------------------------------------------------------- quantisation (TFLite-style PTQ)

def activation_quantization(values):
    """Asymmetric int8 range covering the calibration values and 0."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    scale = np.float32((hi - lo) / 255.0) if hi > lo else np.float32(1.0)
    zero_point = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return scale, zero_point


def quantize_weights(w, axis_out):
    """Symmetric per-channel int8 along axis_out (or per tensor if axis_out is None)."""
    if axis_out is None:
        scales = np.array([np.abs(w).max() / 127.0], np.float32)
        q = np.round(w / scales[0])
    else:
        moved = np.moveaxis(w, axis_out, 0)
        scales = (np.abs(moved.reshape(moved.shape[0], -1)).max(axis=1) / 127.0).astype(np.float32)
        scales[scales == 0] = 1.0
        q = np.moveaxis(np.round(moved / scales.reshape((-1,) + (1,) * (moved.ndim - 1))), 0, axis_out)
    return np.clip(q, -127, 127).astype(np.int8), scales


# ---------------------------------------------------------------- .tmdl writer

def align8(n):
    return (n + 7) // 8 * 8


def pad8(data):
    return data + b"\0" * (align8(len(data)) - len(data))


def dims(shape):
    h, w, c = shape
    rank = 3 if (h, w) != (1, 1) else 1
    return struct.pack("<4H", rank, h, w, c)


def layer_bytes(kind, is_out, in_oft, out_oft, in_shape, out_shape, in_q, out_q, body=b"", data=(), offsets_at=0):
    """One layer: the 48-byte head, the body, then 8-aligned data regions whose
    offsets (from the layer start) go into the body at `offsets_at`."""
    head_size = 48 + len(body)
    regions, offsets, at = b"", [], head_size
    for region in data:
        offsets.append(at)
        region = pad8(region)
        regions += region
        at += len(region)
    if data:
        packed = struct.pack("<%dI" % len(data), *offsets)
        body = body[:offsets_at] + packed + body[offsets_at + len(packed):]
    size = head_size + len(regions)
    head = struct.pack("<HHIII", kind, is_out, size, in_oft, out_oft) + dims(in_shape) + dims(out_shape)
    head += struct.pack("<fifi", in_q[0], in_q[1], out_q[0], out_q[1])
    return head + body + regions


CONV_OFFSETS = 20  # ws_oft, w_oft, b_oft sit at layer bytes 68..80, body bytes 20..32


def conv_body(k, stride, act, pads, depth_multiplier):
    return struct.pack("<6BH4BII", k, k, stride, stride, 1, 1, act, *pads, depth_multiplier, 0) + b"\0" * 12


def export(net, calibration, path):
    record = {}
    net.forward(calibration, record)
    q_in = (np.float32(1.0 / 255.0), -128)
    q0, q1, q2 = (activation_quantization(record[k]) for k in ("conv0", "dw1", "conv2"))
    q_gap, q_fc = activation_quantization(record["gap"]), activation_quantization(record["fc"])
    q_softmax = (np.float32(1.0 / 256.0), -128)

    def folded_bias(bias, in_q, w_scales, wq_sums):
        b = np.round(bias / (np.float32(in_q[0]) * w_scales)).astype(np.int64)
        return (b - in_q[1] * wq_sums).astype(np.int32)

    # CONV2D: tmdl stores [cho][chi][kh][kw]; training keeps (kh,kw,cin,cout).
    def conv_data(conv, in_q):
        wq, scales = quantize_weights(conv.w, 3)
        stored = np.transpose(wq, (3, 2, 0, 1))
        bias = folded_bias(conv.b, in_q, scales, stored.reshape(stored.shape[0], -1).astype(np.int64).sum(axis=1))
        return [scales.astype("<f4").tobytes(), stored.tobytes(), bias.astype("<i4").tobytes()]

    # DWCONV2D: output channel c = ci * M + m; tmdl stores [cho][kh][kw].
    def depthwise_data(conv, in_q):
        k, _, cin, m = conv.w.shape
        w = conv.w.reshape(k, k, cin * m)
        wq, scales = quantize_weights(w, 2)
        stored = np.transpose(wq, (2, 0, 1))
        bias = folded_bias(conv.b, in_q, scales, stored.reshape(stored.shape[0], -1).astype(np.int64).sum(axis=1))
        return [scales.astype("<f4").tobytes(), stored.tobytes(), bias.astype("<i4").tobytes()]

    wq_fc, s_fc = quantize_weights(net.fc.w.T, None)  # [cho][chi], one scale
    fc_scales = np.zeros(10, np.float32)
    fc_scales[0] = s_fc[0]
    fc_bias = folded_bias(net.fc.b, q_gap, s_fc[0], wq_fc.astype(np.int64).sum(axis=1))

    # Activation buffer (the file's plan): input 0..64, then ping-pong.
    layers = [
        layer_bytes(0, 0, 0, 64, (8, 8, 1), (8, 8, 12), q_in, q0, conv_body(3, 1, 1, (1, 1, 1, 1), 0),
                    conv_data(net.conv0, q_in), CONV_OFFSETS),
        layer_bytes(5, 0, 64, 832, (8, 8, 12), (4, 4, 24), q0, q1, conv_body(3, 2, 1, (0, 1, 0, 1), 2),
                    depthwise_data(net.dw1, q0), CONV_OFFSETS),
        layer_bytes(0, 0, 832, 0, (4, 4, 24), (4, 4, 32), q1, q2, conv_body(1, 1, 1, (0, 0, 0, 0), 0),
                    conv_data(net.conv2, q1), CONV_OFFSETS),
        layer_bytes(1, 0, 0, 512, (4, 4, 32), (1, 1, 32), q2, q_gap),
        layer_bytes(2, 0, 512, 0, (1, 1, 32), (1, 1, 10), q_gap, q_fc, b"\0" * 16,
                    [fc_scales.astype("<f4").tobytes(), wq_fc.tobytes(), fc_bias.astype("<i4").tobytes()]),
        layer_bytes(3, 1, 0, 16, (1, 1, 10), (1, 1, 10), q_fc, q_softmax),
    ]
    buffer_size = 1216  # 832 + 4x4x24; the softmax's float scratch (16 + 40 + 56) fits below it
    header = b"MAIX" + struct.pack("<BBHHHII", 0, 1, 1, 1, len(layers), buffer_size, 0)
    header += dims((8, 8, 1)) + dims((1, 1, 10))
    header += b"\0" * (64 - len(header))
    with open(path, "wb") as f:
        f.write(header + b"".join(layers))


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    x_train, x_test, y_train, y_test = load_data(args.seed)
    to_float = lambda images: (images.astype(np.float32) / 255.0)[..., None]
    rng = np.random.default_rng(args.seed)
    net = Network(rng)
    train(net, to_float(x_train), y_train, args.epochs, rng)
    float_accuracy = (net.forward(to_float(x_test)).argmax(axis=1) == y_test).mean()
    print(f"float32 test accuracy: {float_accuracy:.4f} ({len(y_test)} digits)")

    export(net, to_float(x_train), os.path.join(HERE, "digits.tmdl"))
    x_test.astype(np.uint8).tofile(os.path.join(HERE, "test-images.u8"))
    y_test.astype(np.uint8).tofile(os.path.join(HERE, "test-labels.u8"))
    print("wrote digits.tmdl, test-images.u8, test-labels.u8; "
          "int8 accuracy: tmdl-codegen evaluate digits.tmdl --inputs test-images.u8 --labels test-labels.u8")


if __name__ == "__main__":
    main()
