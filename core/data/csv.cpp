// csv.cpp — user tables: [SECTION] limits and messages · [SECTION] record reader · [SECTION] cells ·
// [SECTION] parse_csv_dataset
//
// The format accepted:
//   - a header row of unique, non-empty column names, then one row per sample;
//   - separator ',' — or ';' or a tab when the header line has no comma but has one of those;
//   - fields are trimmed of spaces (and tabs, unless tab is the separator); blank lines are skipped;
//   - a field may be quoted ("a, b" or "say ""hi"""), and may then span lines;
//   - every row has as many fields as the header; every feature cell is a finite number (strtod
//     syntax, "C" locale); a UTF-8 byte-order mark before the header is ignored.
// Row numbers in messages are line numbers of the text (the header is row 1; blank lines count), so
// they match what a text editor shows.
//
// Labels (dataset.h): all integers in [0, kMaxCsvClasses) → classification with K = max + 1 classes
// "0".."K-1"; any label that is not a number → classification, every label a class name, classes in
// order of first appearance; otherwise (a fraction, a negative or a large integer) → regression with
// one target. A classification needs at least two distinct labels.
#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/names.h"
#include "data/dataset_internal.h"

namespace lab {

using namespace dataset_detail;

// [SECTION] limits and messages ------------------------------------------------------------------
namespace {

constexpr size_t kMaxCsvRows = 1000000;  // data rows
constexpr size_t kMaxCsvColumns = 10000;
constexpr size_t kMaxCsvCells = 20000000;  // rows × feature columns: 80 MB of floats
constexpr long long kMaxCsvClasses = 1000;
constexpr size_t kMaxQuotedCell = 40;  // longer cells are shortened in messages

// A cell as a message shows it: shortened, control characters written out (\x00), so that no byte of the
// file can cut the message short or garble it.
std::string quote_cell(const std::string& s) {
  std::string o = "'";
  for (size_t i = 0; i < s.size() && i < kMaxQuotedCell; ++i) {
    const unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", ch);
      o += b;
    } else {
      o += (char)ch;
    }
  }
  return o + (s.size() > kMaxQuotedCell ? "...'" : "'");
}

std::string row_col(size_t row, const std::string& column) { return "row " + std::to_string(row) + ", column '" + column + "': "; }

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// [SECTION] record reader ------------------------------------------------------------------------

bool is_space(char c, char sep) { return (c == ' ' || c == '\t') && c != sep; }

// Reads the text one record (row) at a time; fields come back trimmed and unquoted.
class RecordReader {
 public:
  RecordReader(const std::string& text, size_t start, char sep) : t_(text), pos_(start), sep_(sep) {}

  // Reads the next non-blank record into `fields`; `row` is the line it starts on. False at the end.
  bool next(std::vector<std::string>& fields, size_t& row) {
    for (;;) {
      if (pos_ >= t_.size()) return false;
      row = line_;
      bool quoted = false;
      read_record(fields, quoted);
      if (!(fields.size() == 1 && fields[0].empty() && !quoted)) return true;  // else: a blank line
    }
  }

 private:
  const std::string& t_;
  size_t pos_;
  size_t line_ = 1;
  char sep_;

  bool at_line_end() const { return pos_ >= t_.size() || t_[pos_] == '\n' || t_[pos_] == '\r'; }

  void read_record(std::vector<std::string>& fields, bool& any_quoted) {
    fields.clear();
    const size_t row = line_;
    for (;;) {
      std::string f;
      while (pos_ < t_.size() && is_space(t_[pos_], sep_)) ++pos_;
      if (pos_ < t_.size() && t_[pos_] == '"') {
        any_quoted = true;
        ++pos_;
        for (;;) {
          if (pos_ >= t_.size()) fail("row " + std::to_string(row) + ": a quoted field is never closed");
          const char c = t_[pos_];
          if (c == '"') {
            if (pos_ + 1 < t_.size() && t_[pos_ + 1] == '"') {
              f += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            break;
          }
          if (c == '\n') ++line_;
          f += c;
          ++pos_;
        }
        while (pos_ < t_.size() && is_space(t_[pos_], sep_)) ++pos_;
        if (!at_line_end() && t_[pos_] != sep_) fail("row " + std::to_string(row) + ": unexpected text after the closing quote of a field");
      } else {
        const size_t b = pos_;
        while (!at_line_end() && t_[pos_] != sep_) ++pos_;
        size_t e = pos_;
        while (e > b && is_space(t_[e - 1], sep_)) --e;
        f.assign(t_, b, e - b);
      }
      fields.push_back(std::move(f));
      if (pos_ < t_.size() && t_[pos_] == sep_) {
        ++pos_;
        continue;
      }
      // End of the record: consume "\n", "\r\n" or "\r".
      if (pos_ < t_.size() && t_[pos_] == '\r') ++pos_;
      if (pos_ < t_.size() && t_[pos_] == '\n') ++pos_;
      ++line_;
      return;
    }
  }
};

// The separator: ',' unless the first non-blank line has none but has ';' or a tab.
char detect_separator(const std::string& t, size_t start) {
  size_t b = start;
  for (;;) {
    size_t e = t.find_first_of("\r\n", b);
    if (e == std::string::npos) e = t.size();
    const std::string line = t.substr(b, e - b);
    if (line.find_first_not_of(" \t") != std::string::npos) {
      if (line.find(',') != std::string::npos) return ',';
      if (line.find(';') != std::string::npos) return ';';
      if (line.find('\t') != std::string::npos) return '\t';
      return ',';
    }
    if (e >= t.size()) return ',';
    b = e + 1;
  }
}

// [SECTION] cells --------------------------------------------------------------------------------

enum class Number { Ok, Empty, NotANumber, NotFinite, TooLarge };

Number parse_number(const std::string& s, double& v) {
  if (s.empty()) return Number::Empty;
  char* end = nullptr;
  errno = 0;
  v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return Number::NotANumber;
  if (!std::isfinite(v)) return errno == ERANGE ? Number::TooLarge : Number::NotFinite;
  if (std::fabs(v) > FLT_MAX) return Number::TooLarge;
  return Number::Ok;
}

float feature_value(const std::string& cell, size_t row, const std::string& column) {
  double v = 0;
  switch (parse_number(cell, v)) {
    case Number::Ok:
      return (float)v;
    case Number::Empty:
      fail(row_col(row, column) + "the cell is empty (every feature needs a number)");
    case Number::NotANumber:
      fail(row_col(row, column) + quote_cell(cell) + " is not a number");
    case Number::NotFinite:
      fail(row_col(row, column) + quote_cell(cell) + " is not a finite number");
    case Number::TooLarge:
      fail(row_col(row, column) + quote_cell(cell) + " is too large");
  }
  return 0.0f;
}

}  // namespace

// [SECTION] parse_csv_dataset --------------------------------------------------------------------

namespace dataset_detail {

// The samples of a CSV text; fills d's metadata. The label column: by name, else by 1-based position
// (label_position), else (0) the last column.
Samples csv_samples(const std::string& text, const std::string& label_column, int label_position, Dataset& d) {
  const size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // UTF-8 byte-order mark
  // A NUL byte: not text (a spreadsheet's own format, or UTF-16) — say so before anything reads it as cells.
  if (const size_t nul = text.find('\0'); nul != std::string::npos)
    fail("the file has a NUL byte on line " + std::to_string(1 + std::count(text.begin(), text.begin() + (long)nul, '\n')) +
         ": it is not a text CSV (a spreadsheet's own format, or UTF-16?). Save it as \"CSV (UTF-8)\" and load it again");
  RecordReader reader(text, start, detect_separator(text, start));

  // Header.
  std::vector<std::string> header, fields;
  size_t row = 0;
  if (!reader.next(header, row)) fail("the CSV text is empty: expected a header row, then one row per sample");
  if (header.size() > kMaxCsvColumns)
    fail("the CSV has " + std::to_string(header.size()) + " columns; at most " + std::to_string(kMaxCsvColumns) + " are supported");
  if (header.size() < 2)
    fail("the CSV header has one column ('" + header[0] + "'); it needs feature columns and a label column, separated by commas");
  std::map<std::string, size_t> seen;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty()) fail("the CSV header's column " + std::to_string(c + 1) + " has no name");
    if (!seen.emplace(header[c], c).second) fail("the CSV header names column '" + header[c] + "' twice");
  }
  size_t label_idx = header.size() - 1;
  if (label_column.empty() && label_position > 0) {
    if ((size_t)label_position > header.size())
      fail("the CSV has " + std::to_string(header.size()) + " columns, so column " + std::to_string(label_position) +
           " cannot be the label");
    label_idx = (size_t)label_position - 1;
  }
  if (!label_column.empty()) {
    auto it = seen.find(label_column);
    if (it == seen.end()) {
      const std::string names = join_names(header, [](const std::string& h) { return h; });
      fail("the CSV has no column named '" + label_column + "' (columns: " + names + ")");
    }
    label_idx = it->second;
  }
  const std::string& label_name = header[label_idx];
  const size_t n_features = header.size() - 1;

  // Rows.
  std::vector<float> x;             // (n, n_features)
  std::vector<std::string> labels;  // (n) raw label cells
  std::vector<size_t> label_rows;   // (n) row of each label, for messages
  while (reader.next(fields, row)) {
    if (fields.size() != header.size())
      fail("row " + std::to_string(row) + " has " + std::to_string(fields.size()) + " fields, but the header has " +
           std::to_string(header.size()) + " columns");
    if (labels.size() == kMaxCsvRows)
      fail("the CSV has more than " + std::to_string(kMaxCsvRows) + " data rows; at most " + std::to_string(kMaxCsvRows) +
           " are supported");
    if ((labels.size() + 1) * n_features > kMaxCsvCells)
      fail("the CSV is too large: more than " + std::to_string(kMaxCsvCells) +
           " feature values (rows × feature columns) are not supported");
    for (size_t c = 0; c < fields.size(); ++c)
      if (c != label_idx) x.push_back(feature_value(fields[c], row, header[c]));
    if (fields[label_idx].empty()) fail(row_col(row, label_name) + "the label is empty");
    labels.push_back(std::move(fields[label_idx]));
    label_rows.push_back(row);
  }
  const size_t n = labels.size();
  if (n == 0) fail("the CSV has a header but no data rows");

  // Labels: classes or regression targets.
  d.name = "csv";
  d.input_shape = {(int)n_features};
  for (size_t c = 0; c < header.size(); ++c)
    if (c != label_idx) d.feature_names.push_back(header[c]);

  Samples s;
  s.x = std::move(x);
  std::vector<double> numeric(n);
  bool all_numeric = true, all_class_indices = true;
  for (size_t i = 0; i < n && all_numeric; ++i) {
    all_numeric = parse_number(labels[i], numeric[i]) == Number::Ok;
    all_class_indices =
        all_class_indices && all_numeric && numeric[i] == std::floor(numeric[i]) && numeric[i] >= 0 && numeric[i] < (double)kMaxCsvClasses;
  }
  if (all_numeric && !all_class_indices) {
    d.task = TaskKind::Regression;
    d.num_classes = 0;
    d.output_dim = 1;
    s.y.assign(numeric.begin(), numeric.end());  // (n, 1)
  } else {
    d.task = TaskKind::Classification;
    s.label.resize(n);
    if (all_numeric) {
      int max_label = 0;
      for (size_t i = 0; i < n; ++i) {
        s.label[i] = (int)numeric[i];
        max_label = std::max(max_label, s.label[i]);
      }
      for (int k = 0; k <= max_label; ++k) d.class_names.push_back(std::to_string(k));
    } else {
      std::map<std::string, int> distinct;  // label text → class
      for (size_t i = 0; i < n; ++i) {
        auto [it, inserted] = distinct.emplace(labels[i], (int)d.class_names.size());
        if (inserted) {
          if ((long long)d.class_names.size() == kMaxCsvClasses)
            fail(row_col(label_rows[i], label_name) + "more than " + std::to_string(kMaxCsvClasses) +
                 " distinct labels; a classification supports at most " + std::to_string(kMaxCsvClasses) + " classes");
          d.class_names.push_back(labels[i]);
        }
        s.label[i] = it->second;
      }
    }
    std::vector<bool> used(d.class_names.size(), false);
    for (int l : s.label) used[(size_t)l] = true;
    if (std::count(used.begin(), used.end(), true) < 2)
      fail("the label column '" + label_name + "' has a single value (" + quote_cell(labels[0]) +
           "); a classification needs at least two classes");
    d.num_classes = (int)d.class_names.size();
    d.output_dim = d.num_classes;
  }
  return s;
}

// The registry's "csv" dataset: the user's file, handed in as the asset "user.csv".
Samples load_csv(const DatasetParams& p, Rng&, Dataset& d, const std::vector<uint8_t>& asset) {
  return csv_samples(std::string(asset.begin(), asset.end()), "", (int)p.extra.at("label_column"), d);
}

}  // namespace dataset_detail

Dataset parse_csv_dataset(const std::string& text, const std::string& label_column, float test_ratio, uint64_t seed) {
  if (!(test_ratio >= 0.0f && test_ratio <= 0.9f)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", (double)test_ratio);
    fail(std::string("CSV: test_ratio must be between 0 and 0.9 (got ") + buf + ")");
  }
  Dataset d;
  Samples s = dataset_detail::csv_samples(text, label_column, 0, d);
  const size_t n = s.x.size() / d.input_size();
  Rng rng(seed);
  shuffle_split(d, s, n, test_ratio, rng);
  return d;
}

}  // namespace lab
