// Internal to ui/state/: the tunings the controller's files share (controller.cpp: edits; run_loop.cpp:
// running, jobs; snapshot.cpp: what the views draw; share.cpp: links, files, classroom).
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>

namespace lab::ui::tuning {

inline constexpr int kGrid = 64;              // the 2-D plane is sampled on 64×64 points
inline constexpr int kMaxPlanePoints = 4000;  // points drawn on the plane (per split)
inline constexpr int kPageSize = 32;          // test samples in the prediction grid
inline constexpr int kConfusedScan = 2000;    // test samples scanned for the most confused
inline constexpr int kMaxConfused = 64;
inline constexpr int kNeuronSamples = 2000;     // samples the neuron inspector profiles
inline constexpr double kChunkMsThreaded = 40;  // a training chunk's target duration (job thread)
inline constexpr double kChunkMsInline = 12;    // single-threaded: chunks run inside the frame
inline constexpr double kEvalEveryMs = 250;     // full evaluations while playing, at most this often
inline constexpr double kLiveEveryMs = 5000;    // screen-reader status while training
inline constexpr double kStateEveryMs = 2000;   // URL hash / autosave while training

#if defined(LAB_SINGLE_THREADED)
inline constexpr bool kThreaded = false;
#else
inline constexpr bool kThreaded = true;
#endif

// printf-formats one number.
inline std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// An integer with thousands separators: 100000000 → "100,000,000".
inline std::string group_digits(long long v) {
  std::string d = std::to_string(v < 0 ? -v : v), o;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) o += ',';
    o += d[i];
  }
  return v < 0 ? "-" + o : o;
}

// A duration in words: "8 s", "3 min", "1 h 20 min".
inline std::string duration_words(double s) {
  char b[48];
  if (s < 90)
    std::snprintf(b, sizeof b, "%.0f s", std::max(1.0, s));
  else if (s < 3600)
    std::snprintf(b, sizeof b, "%.0f min", s / 60);
  else
    std::snprintf(b, sizeof b, "%d h %02d min", int(s / 3600), int(s / 60) % 60);
  return b;
}

}  // namespace lab::ui::tuning
