// NeuronLab core — JSON a user hands in (specs, hyper-parameter patches, histories, model files, method
// options, hooks): parsed with a bound on nesting, and errors that say what was wrong and where — never
// nlohmann's internal codes ("[json.exception.out_of_range.406] …") and never a whole echoed input.
//
//   json j = lab::parse_json_input(text, "spec");   // throws std::invalid_argument:
//   // "spec is not valid JSON: syntax error … at line 1, column 9"
//   // "spec: the number 1e999 is out of range (JSON numbers here must be finite, below about 1.8e308)"
//   // "spec is nested 5000 levels deep; at most 64 are accepted"
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lab {

inline constexpr int kMaxJsonDepth = 64;  // objects and arrays inside each other; specs need about 6

nlohmann::json parse_json_input(std::string_view text, const std::string& what);
nlohmann::json parse_json_input(const uint8_t* bytes, size_t n, const std::string& what);

// User text quoted in an error: at most `max` characters, then "… (N characters)".
std::string clip_text(std::string_view s, size_t max = 60);
// A JSON value quoted in an error ("(got ...)"): its text, at most 40 characters, then "…".
std::string describe_json(const nlohmann::json& v);

// A message for any exception that reaches a boundary (the JS API, the CLI): nlohmann's codes rewritten as
// words, and at most kMaxMessageChars characters.
inline constexpr size_t kMaxMessageChars = 1000;
std::string readable_error(const std::exception& e);

}  // namespace lab
