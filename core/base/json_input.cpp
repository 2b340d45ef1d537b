#include "base/json_input.h"

#include <stdexcept>

namespace lab {

using json = nlohmann::json;

namespace {

// The deepest nesting of objects and arrays, outside strings; stops counting past `limit`.
int nesting_depth(std::string_view t, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : t) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's message without its "[json.exception.kind.id] " prefix.
std::string strip_code(const std::string& m) {
  if (m.rfind("[json.exception.", 0) == 0)
    if (size_t close = m.find("] "); close != std::string::npos) return m.substr(close + 2);
  return m;
}

std::string nlohmann_message(const json::exception& e) {
  const std::string m = strip_code(e.what());
  if (e.id == 406) {  // number overflow parsing '1e999'
    const size_t a = m.find('\''), b = m.rfind('\'');
    const std::string num = a != std::string::npos && b > a ? m.substr(a + 1, b - a - 1) : "a number";
    return "the number " + clip_text(num, 40) + " is out of range (numbers must be finite, below about 1.8e308)";
  }
  if (m.rfind("type must be ", 0) == 0) return "a field has the wrong type: it " + m.substr(5);
  return clip_text(m, 300);
}

json parse_checked(std::string_view text, const std::string& what) {
  if (const int d = nesting_depth(text, kMaxJsonDepth); d > kMaxJsonDepth)
    throw std::invalid_argument(what + " is nested more than " + std::to_string(kMaxJsonDepth) +
                                " levels deep (objects and arrays inside each other); that is not a NeuronLab file");
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw std::invalid_argument(what + " is not valid JSON (it may be truncated): " + clip_text(strip_code(e.what()), 300));
  } catch (const json::exception& e) {
    throw std::invalid_argument(what + ": " + nlohmann_message(e));
  }
}

}  // namespace

json parse_json_input(std::string_view text, const std::string& what) { return parse_checked(text, what); }

json parse_json_input(const uint8_t* bytes, size_t n, const std::string& what) {
  return parse_checked(std::string_view(reinterpret_cast<const char*>(bytes), n), what);
}

std::string clip_text(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return std::string(s.substr(0, cut)) + "… (" + std::to_string(s.size()) + " characters)";
}

std::string describe_json(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 40) + "…" : s;
}

std::string readable_error(const std::exception& e) {
  std::string m;
  if (const auto* j = dynamic_cast<const json::exception*>(&e))
    m = nlohmann_message(*j);
  else
    m = e.what();
  if (m.size() > kMaxMessageChars) m = clip_text(m, kMaxMessageChars);
  return m;
}

}  // namespace lab
