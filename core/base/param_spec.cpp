// param_spec.cpp — [SECTION] builders · [SECTION] values · [SECTION] validation · [SECTION] JSON
#include "base/param_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lab {

using json = nlohmann::json;

// [SECTION] builders ----------------------------------------------------------------------------------

ParamSpec number(std::string name, double def, double min, double max, std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Number;
  p.def = def;
  p.min = min;
  p.max = max;
  p.help = std::move(help);
  return p;
}

ParamSpec integer(std::string name, double def, double min, double max, std::string help) {
  ParamSpec p = number(std::move(name), def, min, max, std::move(help));
  p.kind = ParamSpec::Integer;
  return p;
}

ParamSpec boolean(std::string name, bool def, std::string help) {
  ParamSpec p = number(std::move(name), def ? 1 : 0, 0, 1, std::move(help));
  p.kind = ParamSpec::Boolean;
  return p;
}

ParamSpec choice(std::string name, std::vector<std::string> choices, std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Choice;
  p.choices = std::move(choices);
  if (!p.choices.empty()) p.def_choice = p.choices.front();
  p.help = std::move(help);
  return p;
}

ParamSpec with_url(ParamSpec p, std::string url) {
  p.url = std::move(url);
  return p;
}

ParamSpec required(ParamSpec p) {
  p.required = true;
  return p;
}

ParamSpec with_default_choice(ParamSpec p, std::string def) {
  if (std::find(p.choices.begin(), p.choices.end(), def) == p.choices.end())
    throw std::logic_error("parameter '" + p.name + "': default '" + def + "' is not one of its choices");
  p.def_choice = std::move(def);
  return p;
}

const char* kind_name(ParamSpec::Kind k) {
  switch (k) {
    case ParamSpec::Number:
      return "number";
    case ParamSpec::Integer:
      return "integer";
    case ParamSpec::Choice:
      return "choice";
    case ParamSpec::Boolean:
      return "boolean";
    case ParamSpec::Array:
      return "array";
  }
  return "?";
}

// [SECTION] values --------------------------------------------------------------------------------------

double ParamValues::get(const std::string& k) const {
  auto it = num.find(k);
  if (it == num.end()) throw std::logic_error("no numeric parameter '" + k + "'");
  return it->second;
}

const std::string& ParamValues::choice(const std::string& k) const {
  auto it = str.find(k);
  if (it == str.end()) throw std::logic_error("no choice parameter '" + k + "'");
  return it->second;
}

// [SECTION] validation -----------------------------------------------------------------------------------

namespace {

std::string fmt(double v) {
  char b[48];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

// "spec.optimizer." + "lr" → "spec.optimizer.lr"; "integrated_gradients" + "steps" → "integrated_gradients: steps".
std::string field(const std::string& where, const std::string& name) {
  if (where.empty()) return name;
  return where.back() == '.' ? where + name : where + ": " + name;
}

std::string range_text(const ParamSpec& s) {
  const bool whole = s.kind == ParamSpec::Integer;
  return std::string(whole ? "an integer" : "a number") + " between " + fmt(s.min) + " and " + fmt(s.max);
}

}  // namespace

double check_number(const ParamSpec& s, const json& v, const std::string& where) {
  const std::string f = field(where, s.name);
  if (s.kind == ParamSpec::Boolean) {
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number() && (v.get<double>() == 0 || v.get<double>() == 1)) return v.get<double>();
    throw std::invalid_argument(f + " must be true or false (got " + describe_json(v) + ")");
  }
  if (!v.is_number()) throw std::invalid_argument(f + " must be " + range_text(s) + " (got " + describe_json(v) + ")");
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < s.min || d > s.max) throw std::invalid_argument(f + " must be " + range_text(s) + " (got " + fmt(d) + ")");
  if (s.kind == ParamSpec::Integer && d != std::floor(d)) throw std::invalid_argument(f + " must be an integer (got " + fmt(d) + ")");
  return d;
}

ParamValues parse_values(const std::vector<ParamSpec>& schema, const json& obj, const std::string& where,
                         std::vector<std::string>* unknown) {
  ParamValues p;
  for (const auto& s : schema) {
    if (s.required) continue;
    if (s.kind == ParamSpec::Choice)
      p.str[s.name] = s.def_choice;
    else if (s.kind == ParamSpec::Array)
      p.list[s.name] = {};
    else
      p.num[s.name] = s.def;
  }
  if (obj.is_null()) {
    for (const auto& s : schema)
      if (s.required) throw std::invalid_argument(field(where, s.name) + " is missing");
    return p;
  }
  if (!obj.is_object())
    throw std::invalid_argument((where.empty() ? std::string("the parameters") : where) + " must be an object (got " + describe_json(obj) +
                                ")");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const ParamSpec* s = nullptr;
    for (const auto& c : schema)
      if (c.name == it.key()) s = &c;
    if (!s) {
      if (unknown) {
        unknown->push_back(it.key());
        continue;
      }
      const std::string known = join_names(schema, [](const ParamSpec& c) { return c.name; });
      throw std::invalid_argument(field(where, "unknown parameter '" + it.key() + "'") +
                                  (known.empty() ? " (it takes none)" : " (known: " + known + ")"));
    }
    const json& v = it.value();
    const std::string f = field(where, s->name);
    if (s->kind == ParamSpec::Choice) {
      if (!v.is_string() || std::find(s->choices.begin(), s->choices.end(), v.get<std::string>()) == s->choices.end())
        throw std::invalid_argument(f + " must be one of " + join_names(s->choices, [](const std::string& c) { return c; }) + " (got " +
                                    describe_json(v) + ")");
      p.str[s->name] = v.get<std::string>();
    } else if (s->kind == ParamSpec::Array) {
      if (!v.is_array() || (double)v.size() < s->min || (double)v.size() > s->max)
        throw std::invalid_argument(f + " must be a list of " + fmt(s->min) + " to " + fmt(s->max) + " names (got " + describe_json(v) +
                                    ")");
      std::vector<std::string> items;
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string fi = f + "[" + std::to_string(i) + "]";
        if (!v[i].is_string()) throw std::invalid_argument(fi + " must be a name (got " + describe_json(v[i]) + ")");
        const std::string name = v[i].get<std::string>();
        if (!s->choices.empty() && std::find(s->choices.begin(), s->choices.end(), name) == s->choices.end())
          throw std::invalid_argument(fi + " '" + name +
                                      "' is not known (known: " + join_names(s->choices, [](const std::string& c) { return c; }) + ")");
        if (std::find(items.begin(), items.end(), name) != items.end()) throw std::invalid_argument(fi + " '" + name + "' is listed twice");
        items.push_back(name);
      }
      p.list[s->name] = std::move(items);
    } else {
      p.num[s->name] = check_number(*s, v, where);
    }
  }
  for (const auto& s : schema)
    if (s.required && !p.has(s.name)) throw std::invalid_argument(field(where, s.name) + " is missing");
  return p;
}

// [SECTION] JSON -------------------------------------------------------------------------------------------

double short_float(float f) {
  char b[32];
  for (int prec = 6; prec <= 9; ++prec) {
    std::snprintf(b, sizeof b, "%.*g", prec, (double)f);
    if (std::strtof(b, nullptr) == f) break;
  }
  return std::strtod(b, nullptr);
}

json values_json(const std::vector<ParamSpec>& schema, const ParamValues& v, bool float32) {
  json j = json::object();
  for (const auto& s : schema) {
    if (!v.has(s.name)) continue;
    switch (s.kind) {
      case ParamSpec::Choice:
        j[s.name] = v.str.at(s.name);
        break;
      case ParamSpec::Array:
        j[s.name] = v.list.at(s.name);
        break;
      case ParamSpec::Boolean:
        j[s.name] = v.num.at(s.name) != 0;
        break;
      case ParamSpec::Integer:
        j[s.name] = (long long)v.num.at(s.name);
        break;
      case ParamSpec::Number:
        j[s.name] = float32 ? short_float((float)v.num.at(s.name)) : v.num.at(s.name);
        break;
    }
  }
  return j;
}

json schema_json(const std::vector<ParamSpec>& schema) {
  json a = json::array();
  for (const auto& s : schema) {
    json j{{"name", s.name}, {"kind", kind_name(s.kind)}, {"help", s.help}};
    switch (s.kind) {
      case ParamSpec::Choice:
        j["choices"] = s.choices;
        j["default"] = s.def_choice;
        break;
      case ParamSpec::Boolean:
        j["default"] = s.def != 0;
        break;
      case ParamSpec::Array:
        j["choices"] = s.choices;
        j["min"] = s.min;
        j["max"] = s.max;
        j["default"] = json::array();
        break;
      default:
        j["default"] = s.def;
        j["min"] = s.min;
        j["max"] = s.max;
    }
    if (s.required) j["required"] = true;
    if (!s.units.empty()) j["units"] = s.units;
    if (!s.url.empty()) j["url"] = s.url;
    a.push_back(j);
  }
  return a;
}

}  // namespace lab
