// NeuronLab core — "a, b, c": the list of names an error message offers ("unknown loss 'x' (known: …)").
#pragma once
#include <string>

namespace lab {

// Joins name(item) for every item with ", ".
template <class Range, class Name>
std::string join_names(const Range& items, Name name) {
  std::string s;
  for (const auto& it : items) {
    if (!s.empty()) s += ", ";
    s += name(it);
  }
  return s;
}

}  // namespace lab
