// NeuronLab core — Tensor: a float32 n-d array with 64-byte-aligned storage and a checked shape.
//
// Row-major; batched tensors put the batch first: (B, features) or (B, C, H, W). A Tensor owns its
// storage; resize() keeps the allocation when it can (steady-state training allocates nothing).
//
//   lab::Tensor x({32, 1, 28, 28});   // zero-filled
//   x.at(0) = 1.0f;  x.size() == 32*784;  x.dim(0) == 32;
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace lab {

using Shape = std::vector<int>;

std::string shape_str(const Shape& s);  // "(32, 1, 28, 28)"

// The most values one tensor may hold: 1 GiB of floats (the wasm heap is 2 GB). Sizes are computed in 64
// bits, so a shape whose product does not fit size_t (32 bits in wasm) is refused, never wrapped.
inline constexpr uint64_t kMaxTensorValues = uint64_t(1) << 28;
[[noreturn]] void throw_too_large(const Shape& s);

// The number of values of a shape; std::invalid_argument past kMaxTensorValues or for a negative dimension.
inline size_t shape_size(const Shape& s) {
  for (int d : s) {
    if (d < 0) throw std::invalid_argument("tensor: negative dimension in shape " + shape_str(s));
    if (d == 0) return 0;
  }
  uint64_t n = 1;
  for (int d : s)
    if ((n *= (uint64_t)d) > kMaxTensorValues) throw_too_large(s);  // stays below 2^59: no wrap
  return (size_t)n;
}

template <class T, size_t Align = 64>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U, Align>&) {}
  template <class U>
  struct rebind {
    using other = AlignedAllocator<U, Align>;
  };
  T* allocate(size_t n) {
    if (n == 0) return nullptr;
    void* p = std::aligned_alloc(Align, (n * sizeof(T) + Align - 1) / Align * Align);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  bool operator==(const AlignedAllocator&) const { return true; }
  bool operator!=(const AlignedAllocator&) const { return false; }
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape) { resize(std::move(shape)); }

  // New shape; contents become zero when the size changes, else are kept.
  void resize(Shape shape) {
    const size_t n = shape_size(shape);
    shape_ = std::move(shape);
    if (n != data_.size()) data_.assign(n, 0.0f);
  }
  void zero() { std::fill(data_.begin(), data_.end(), 0.0f); }

  const Shape& shape() const { return shape_; }
  int dim(size_t i) const { return shape_.at(i); }
  size_t rank() const { return shape_.size(); }
  size_t size() const { return data_.size(); }
  // Elements per batch row: size / dim(0).
  size_t row_size() const { return shape_.empty() || shape_[0] == 0 ? 0 : data_.size() / (size_t)shape_[0]; }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  float& at(size_t i) { return data_[i]; }
  float at(size_t i) const { return data_[i]; }

 private:
  Shape shape_;
  std::vector<float, AlignedAllocator<float>> data_;
};

}  // namespace lab
