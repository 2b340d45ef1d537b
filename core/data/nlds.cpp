// nlds.cpp — [SECTION] checksum · [SECTION] limits · [SECTION] parse · [SECTION] write
// The format is documented in nlds.h.
#include "data/nlds.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace lab {

namespace {
constexpr char kMagic[4] = {'N', 'L', 'D', 'S'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kMaxChannels = 64, kMaxSide = 512, kMinClasses = 2, kMaxClasses = 255;
constexpr uint32_t kMaxSourceBytes = 4096;
constexpr uint64_t kMaxPixelBytes = 1ull << 28;  // 256 MiB: sizes stay far from 32-bit size_t overflow in wasm
constexpr size_t kHeaderBytes = 36;              // magic … source length
constexpr size_t kChecksumBytes = 4;

// Every message starts with `who` (the file's name, or "nlds").
[[noreturn]] void fail(const std::string& who, const std::string& what) { throw std::invalid_argument(who + ": " + what); }
}  // namespace

// [SECTION] checksum -----------------------------------------------------------------------------

uint32_t crc32_ieee(const uint8_t* data, size_t size) {
  static constexpr std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// [SECTION] limits -------------------------------------------------------------------------------
namespace {

void check_range(const std::string& who, const char* field, uint64_t v, uint64_t lo, uint64_t hi) {
  if (v < lo || v > hi)
    fail(who,
         std::string(field) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " + std::to_string(v) + ")");
}

// The checks of the header fields, shared by parse and write. Returns the pixel bytes N·C·H·W.
uint64_t check_header(const NldsImages& im, const std::string& who) {
  check_range(who, "channels", im.channels, 1, kMaxChannels);
  check_range(who, "height", im.height, 1, kMaxSide);
  check_range(who, "width", im.width, 1, kMaxSide);
  check_range(who, "classes", im.class_names.size(), kMinClasses, kMaxClasses);
  check_range(who, "pixel_max", im.pixel_max, 1, 255);
  check_range(who, "source length", im.source.size(), 0, kMaxSourceBytes);
  if (im.count < 1) fail(who, "count must be at least 1 (got 0)");
  const uint64_t pixel_bytes = (uint64_t)im.count * im.channels * im.height * im.width;
  if (pixel_bytes > kMaxPixelBytes)
    fail(who, std::to_string(im.count) + " samples of " + std::to_string(im.sample_size()) + " pixels are too many (at most " +
                  std::to_string(kMaxPixelBytes) + " pixel bytes)");
  return pixel_bytes;
}

void check_values(const NldsImages& im, uint64_t pixel_bytes, const std::string& who) {
  const size_t K = im.class_names.size();
  for (size_t k = 0; k < K; ++k)
    if (im.class_names[k].empty() || im.class_names[k].size() > 255)
      fail(who,
           "class " + std::to_string(k) + "'s name must be 1 to 255 bytes long (got " + std::to_string(im.class_names[k].size()) + ")");
  for (uint64_t i = 0; i < pixel_bytes; ++i)
    if (im.pixels[i] > im.pixel_max)
      fail(who, "pixel " + std::to_string(i % im.sample_size()) + " of sample " + std::to_string(i / im.sample_size()) + " is " +
                    std::to_string(im.pixels[i]) + ", above pixel_max " + std::to_string(im.pixel_max));
  for (uint32_t i = 0; i < im.count; ++i)
    if (im.labels[i] >= K)
      fail(who, "sample " + std::to_string(i) + " has label " + std::to_string(im.labels[i]) + ", but there are only " + std::to_string(K) +
                    " classes");
}

}  // namespace

// [SECTION] parse --------------------------------------------------------------------------------
namespace {

class Reader {
 public:
  Reader(const uint8_t* p, size_t n, const std::string& who) : p_(p), n_(n), who_(who) {}
  const uint8_t* bytes(uint64_t k, const char* what) {
    if (n_ - off_ < k)
      fail(who_, "truncated at offset " + std::to_string(off_) + ": " + std::to_string(k) + " byte" + (k == 1 ? "" : "s") + " of " + what +
                     " expected, only " + std::to_string(n_ - off_) + " remain");
    const uint8_t* q = p_ + off_;
    off_ += (size_t)k;
    return q;
  }
  uint32_t u32(const char* what) {
    const uint8_t* q = bytes(4, what);
    return (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
  }
  size_t offset() const { return off_; }

 private:
  const uint8_t* p_;
  size_t n_, off_ = 0;
  const std::string& who_;
};

}  // namespace

NldsImages parse_nlds(const uint8_t* data, size_t size, const std::string& who) {
  if (size < sizeof kMagic || std::memcmp(data, kMagic, sizeof kMagic) != 0)
    fail(who, "not a NeuronLab dataset file (it does not start with \"NLDS\")");
  if (size < kHeaderBytes + kChecksumBytes)
    fail(who, "truncated: " + std::to_string(size) + " bytes are fewer than the " + std::to_string(kHeaderBytes + kChecksumBytes) +
                  " of the header and checksum");
  Reader r(data, size, who);
  r.bytes(sizeof kMagic, "magic");
  const uint32_t version = r.u32("version");
  if (version != kVersion)
    fail(who, "version " + std::to_string(version) + " is not supported (this build reads version " + std::to_string(kVersion) + ")");
  NldsImages im;
  im.count = r.u32("count");
  im.channels = r.u32("channels");
  im.height = r.u32("height");
  im.width = r.u32("width");
  const uint32_t classes = r.u32("class count");
  check_range(who, "classes", classes, kMinClasses, kMaxClasses);
  im.pixel_max = r.u32("pixel_max");
  const uint32_t source_len = r.u32("source length");
  check_range(who, "source length", source_len, 0, kMaxSourceBytes);
  const uint8_t* src = r.bytes(source_len, "source text");
  im.source.assign((const char*)src, source_len);
  for (uint32_t k = 0; k < classes; ++k) {
    const uint8_t len = *r.bytes(1, "class name length");
    if (len == 0) fail(who, "class " + std::to_string(k) + "'s name is empty");
    im.class_names.emplace_back((const char*)r.bytes(len, "class name"), len);
  }
  const uint64_t pixel_bytes = check_header(im, who);
  im.pixels = r.bytes(pixel_bytes, "pixels");
  im.labels = r.bytes(im.count, "labels");
  const size_t body = r.offset();
  const uint32_t stored = r.u32("checksum");
  if (r.offset() != size) {
    const size_t extra = size - r.offset();
    fail(who, std::to_string(extra) + " unexpected byte" + (extra == 1 ? "" : "s") + " after the checksum (the file should be " +
                  std::to_string(r.offset()) + " bytes)");
  }
  const uint32_t actual = crc32_ieee(data, body);
  if (stored != actual) {
    char msg[128];
    std::snprintf(msg, sizeof msg, "checksum mismatch (stored %08x, computed %08x): the file is corrupt", stored, actual);
    fail(who, msg);
  }
  check_values(im, pixel_bytes, who);
  return im;
}

// [SECTION] write --------------------------------------------------------------------------------

std::vector<uint8_t> write_nlds(const NldsImages& im) {
  const std::string who = "nlds (write)";
  const uint64_t pixel_bytes = check_header(im, who);
  if (!im.pixels || !im.labels) fail(who, "pixels and labels must not be null");
  check_values(im, pixel_bytes, who);
  size_t names = 0;
  for (const std::string& name : im.class_names) names += 1 + name.size();
  // One allocation of the exact size, filled front to back.
  std::vector<uint8_t> out(kHeaderBytes + im.source.size() + names + (size_t)pixel_bytes + im.count + kChecksumBytes);
  uint8_t* w = out.data();
  auto put = [&](const void* src, size_t k) {
    if (k) std::memcpy(w, src, k);
    w += k;
  };
  auto u32 = [&](uint32_t v) {
    const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, 4);
  };
  put(kMagic, sizeof kMagic);
  for (uint32_t v :
       {kVersion, im.count, im.channels, im.height, im.width, (uint32_t)im.class_names.size(), im.pixel_max, (uint32_t)im.source.size()})
    u32(v);
  put(im.source.data(), im.source.size());
  for (const std::string& name : im.class_names) {
    const uint8_t len = (uint8_t)name.size();
    put(&len, 1);
    put(name.data(), name.size());
  }
  put(im.pixels, (size_t)pixel_bytes);
  put(im.labels, im.count);
  u32(crc32_ieee(out.data(), (size_t)(w - out.data())));
  return out;
}

}  // namespace lab
