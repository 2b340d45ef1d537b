// datasets_image.cpp — synthetic images whose label-deciding pixels are known by construction:
// [SECTION] glyphs · [SECTION] block_patterns
//
// block_patterns follows BlockMNIST (Shah, Jain & Netrapalli, NeurIPS 2021, §4; see
// shared/reference/interpretability.md §6.1) with procedural glyphs instead of MNIST digits, and both
// blocks in one 28×28 image instead of two stacked 28×28 blocks:
//
//   rows  0..13 (top half)    : an 8×8 slot at rows 3..10,  columns 10..17
//   rows 14..27 (bottom half) : an 8×8 slot at rows 17..24, columns 10..17
//
// One slot (top or bottom, uniformly at random per sample) holds the class's glyph, the other the
// "null" glyph (a square outline, the same for every class and sample). Glyph pixels are 1, all
// other pixels 0; then every pixel gets Gaussian noise of std-dev `noise` (no clamping). The mask is 1
// on the 64 pixels of the class glyph's slot, so an attribution method that puts its mass on the
// null slot is provably wrong.
#include <string>
#include <vector>

#include "data/dataset_internal.h"

namespace lab::dataset_detail {

// [SECTION] glyphs -------------------------------------------------------------------------------
namespace {

constexpr int kImageSide = 28;
constexpr int kGlyphSide = 8;
constexpr int kSlotCol = (kImageSide - kGlyphSide) / 2;         // 10
constexpr int kTopSlotRow = (kImageSide / 2 - kGlyphSide) / 2;  // 3
constexpr int kBottomSlotRow = kImageSide / 2 + kTopSlotRow;    // 17
constexpr int kMaxGlyphClasses = 10;
constexpr int kNullGlyph = -1;

const char* const kGlyphNames[kMaxGlyphClasses] = {
    "plus", "cross", "horizontal stripes", "vertical stripes", "checker", "disk", "diagonal stripes", "triangle", "square", "corners"};

// Whether pixel (r, c) of an 8×8 glyph is on. Every pair of glyphs (the null one included) differs
// in at least 16 of the 64 pixels.
bool glyph_on(int glyph, int r, int c) {
  switch (glyph) {
    case 0:
      return r == 3 || r == 4 || c == 3 || c == 4;  // plus
    case 1:
      return r == c || r + c == kGlyphSide - 1;  // cross (X)
    case 2:
      return r % 4 < 2;  // horizontal stripes
    case 3:
      return c % 4 < 2;  // vertical stripes
    case 4:
      return (r / 2 + c / 2) % 2 == 0;  // 2×2 checker
    case 5:
      return (2 * r - 7) * (2 * r - 7) + (2 * c - 7) * (2 * c - 7) <= 40;  // disk of radius √10
    case 6:
      return ((r + c) / 2) % 2 == 0;  // diagonal stripes
    case 7:
      return c <= r;  // lower-left triangle
    case 8:
      return r >= 2 && r <= 5 && c >= 2 && c <= 5;  // centred 4×4 square
    case 9:
      return (r < 3 || r > 4) && (c < 3 || c > 4);  // four 3×3 corners
    case kNullGlyph:
      return r == 0 || r == kGlyphSide - 1 || c == 0 || c == kGlyphSide - 1;  // outline
    default:
      return false;
  }
}

// Writes glyph `glyph` into the 8×8 slot whose top-left pixel is (row0, kSlotCol) of image `img`.
void draw_glyph(float* img, int glyph, int row0) {  // img: (28, 28)
  for (int r = 0; r < kGlyphSide; ++r)
    for (int c = 0; c < kGlyphSide; ++c) img[(row0 + r) * kImageSide + kSlotCol + c] = glyph_on(glyph, r, c) ? 1.0f : 0.0f;
}

}  // namespace

// [SECTION] block_patterns -----------------------------------------------------------------------

Samples generate_block_patterns(const DatasetParams& p, Rng& rng, Dataset& d) {
  const int k = (int)p.extra.at("classes");
  d.input_shape = {1, kImageSide, kImageSide};
  d.num_classes = k;
  d.output_dim = k;
  d.class_names.assign(kGlyphNames, kGlyphNames + k);
  d.feature_names.clear();

  const size_t px = (size_t)kImageSide * kImageSide;
  Samples s;
  s.x.assign((size_t)p.n * px, 0.0f);     // (n, 1, 28, 28)
  s.mask.assign((size_t)p.n * px, 0.0f);  // (n, 1, 28, 28)
  s.label.resize((size_t)p.n);            // (n)
  for (int i = 0; i < p.n; ++i) {
    const int cls = i % k;
    const bool signal_on_top = rng.below(2) == 0;
    const int signal_row = signal_on_top ? kTopSlotRow : kBottomSlotRow;
    const int null_row = signal_on_top ? kBottomSlotRow : kTopSlotRow;
    float* img = &s.x[(size_t)i * px];
    draw_glyph(img, cls, signal_row);
    draw_glyph(img, kNullGlyph, null_row);
    for (size_t j = 0; j < px; ++j) img[j] += p.noise * rng.normal();  // always drawn, even at noise 0
    float* mask = &s.mask[(size_t)i * px];
    for (int r = 0; r < kGlyphSide; ++r)
      for (int c = 0; c < kGlyphSide; ++c) mask[(signal_row + r) * kImageSide + kSlotCol + c] = 1.0f;
    s.label[i] = cls;
  }
  return s;
}

}  // namespace lab::dataset_detail
