// app.cpp — [SECTION] theme · [SECTION] frame & layout · [SECTION] panels · [SECTION] diagnostics ·
// [SECTION] status bar · [SECTION] state for tests
#include "app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "imgui.h"
#include "version.h"

namespace lab::ui {

namespace {
// Okabe–Ito colour-blind-safe palette (used for accents and result colours).
constexpr ImU32 kBlue = IM_COL32(0, 114, 178, 255), kOrange = IM_COL32(230, 159, 0, 255),
                kGreen = IM_COL32(0, 158, 115, 255), kVermillion = IM_COL32(213, 94, 0, 255);

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if ((unsigned char)c < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += c;
  }
  return o;
}

// Reads a number field out of the flat JSON the bench job writes.
double json_number(const std::string& json, const char* key) {
  std::string k = std::string("\"") + key + "\":";
  auto p = json.find(k);
  return p == std::string::npos ? 0.0 : std::atof(json.c_str() + p + k.size());
}
bool json_true(const std::string& json, const char* key) {
  return json.find(std::string("\"") + key + "\":true") != std::string::npos;
}

void empty_panel_text(const char* what_comes) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("Nothing here yet.");
  ImGui::TextUnformatted(what_comes);
  ImGui::PopTextWrapPos();
}
}  // namespace

App::App(Lab& lab) : lab_(lab) {}

// [SECTION] theme -------------------------------------------------------------------------------

void App::apply_theme() {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  if (dark_) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  st.WindowRounding = 4.0f;
  st.FrameRounding = 3.0f;
  st.WindowBorderSize = 1.0f;
  st.ScaleAllSizes(ui_scale_);  // the platform re-rasterises the font at ui_scale() × device pixel ratio
  theme_applied_ = true;
}

// [SECTION] frame & layout -----------------------------------------------------------------------

void App::frame(const AppInfo& info, double frame_ms) {
  info_ = info;
  frame_ms_ = frame_ms;
  ++frames_;
  if (!theme_applied_) apply_theme();
  poll_jobs();
  menu_bar();
  const float bar_h = ImGui::GetFrameHeight();
  const float top = ImGui::GetFrameHeight();  // main menu bar height
  panels(top, ImGui::GetIO().DisplaySize.y - bar_h);
  status_bar(bar_h);
  if (show_about_) {
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About NeuronLab", &show_about_, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
      ImGui::Text("NeuronLab %s", version());
      ImGui::TextUnformatted("A neural-network laboratory that runs entirely in your browser.");
      ImGui::TextUnformatted("C++ core compiled to WebAssembly (SIMD, threads); UI drawn with Dear ImGui.");
      ImGui::TextUnformatted("Nothing you do here leaves your browser.");
    }
    ImGui::End();
  }
}

void App::menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Diagnostics", nullptr, &show_diagnostics_);
    ImGui::Separator();
    if (ImGui::MenuItem("Dark theme", nullptr, dark_)) { dark_ = true; theme_applied_ = false; }
    if (ImGui::MenuItem("Light theme", nullptr, !dark_)) { dark_ = false; theme_applied_ = false; }
    ImGui::Separator();
    for (float s : {0.75f, 1.0f, 1.25f, 1.5f, 2.0f}) {
      char label[32];
      std::snprintf(label, sizeof label, "UI scale %d%%", (int)(s * 100 + 0.5f));
      if (ImGui::MenuItem(label, nullptr, ui_scale_ == s)) { ui_scale_ = s; theme_applied_ = false; }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("About NeuronLab")) show_about_ = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void App::panels(float top, float bottom) {
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const float h = std::max(1.0f, bottom - top);
  const float w_data = std::floor(ds.x * 0.24f), w_net = std::floor(ds.x * 0.38f), w_right = ds.x - w_data - w_net;
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  auto place = [&](const char* name, float x, float y, float w, float hh, void (App::*body)()) {
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(w, hh), ImGuiCond_Always);
    if (ImGui::Begin(name, nullptr, fixed)) (this->*body)();
    ImGui::End();
  };
  place("Data", 0, top, w_data, h, &App::panel_data);
  place("Network", w_data, top, w_net, h, &App::panel_network);
  const float h_train = std::floor(h * 0.36f);
  const float h_inspect = show_diagnostics_ ? std::floor(h * 0.26f) : h - h_train;
  place("Training", w_data + w_net, top, w_right, h_train, &App::panel_training);
  place("Inspect", w_data + w_net, top + h_train, w_right, h_inspect, &App::panel_inspect);
  if (show_diagnostics_)
    place("Diagnostics", w_data + w_net, top + h_train + h_inspect, w_right, h - h_train - h_inspect, &App::panel_diagnostics);
}

// [SECTION] panels ------------------------------------------------------------------------------
// The four panels are honest about being empty until the core engine (datasets, layers, training)
// lands; they say what will live there.

void App::panel_data() {
  empty_panel_text("Datasets will live here: 2-D toy problems (circle, XOR, spiral, ...), digits and MNIST "
                   "subsets, ground-truth image tasks, and your own CSV, with noise, size, split and seed.");
}
void App::panel_network() {
  empty_panel_text("The network you build will be drawn here: layers and neurons, weights as edges, "
                   "click to inspect or edit.");
}
void App::panel_training() {
  empty_panel_text("Training controls and live loss / accuracy curves will live here.");
}
void App::panel_inspect() {
  empty_panel_text("Looking inside: attributions, single neurons, circuits, ablation.");
}

// [SECTION] diagnostics ---------------------------------------------------------------------------

void App::poll_jobs() {
  if (!bench_job_ || !bench_job_->finished()) return;
  bench_state_ = job_state_name(bench_job_->state());
  if (bench_job_->state() == Job::State::Done) bench_result_json_ = bench_job_->result_json;
  bench_error_ = bench_job_->error();
  bench_job_.reset();
}

void App::panel_diagnostics() {
  const BuildInfo b = build_info();
  ImGui::Text("Build: %s, SIMD %s, %s", b.compiler.c_str(), b.simd ? "on" : "off",
              b.threads_enabled ? "threads" : "single-threaded");
  int threads = lab_.threads();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::BeginDisabled(lab_.max_threads() <= 1);
  if (ImGui::SliderInt("Threads", &threads, 1, std::max(1, lab_.max_threads()))) lab_.set_threads(threads);
  ImGui::EndDisabled();
  bool force_ref = lab_.force_reference();
  if (ImGui::Checkbox("Force reference kernels", &force_ref)) lab_.set_force_reference(force_ref);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::SliderInt("Matrix size", &bench_n_, 64, 1024);
  const bool running = bench_job_ != nullptr;
  if (!running) {
    if (ImGui::Button("Run matmul benchmark")) {
      bench_job_ = lab_.matmul_bench_async(bench_n_, bench_reps_);
      bench_state_ = "running";
      bench_error_.clear();
      poll_jobs();  // a single-threaded build has already finished it
    }
  } else {
    if (ImGui::Button("Cancel")) bench_job_->cancel();
    ImGui::SameLine();
    ImGui::ProgressBar((float)bench_job_->progress(), ImVec2(-1, 0));
  }
  if (!bench_result_json_.empty()) {
    const std::string& r = bench_result_json_;
    ImGui::Text("%d×%d×%d: %.1f GFLOP/s on 1 thread, %.1f on %d (×%.2f)", (int)json_number(r, "n"), (int)json_number(r, "n"),
                (int)json_number(r, "n"), json_number(r, "gflops_1"), json_number(r, "gflops_n"), (int)json_number(r, "threads"),
                json_number(r, "speedup"));
    const bool same = json_true(r, "bit_identical");
    ImGui::PushStyleColor(ImGuiCol_Text, same ? kGreen : kVermillion);
    ImGui::TextUnformatted(same ? "1 thread and N threads: bit-identical" : "1 thread and N threads DIFFER");
    ImGui::PopStyleColor();
  }
  if (!bench_error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kVermillion);
    ImGui::TextWrapped("Benchmark failed: %s", bench_error_.c_str());
    ImGui::PopStyleColor();
  }
}

// [SECTION] status bar --------------------------------------------------------------------------

void App::status_bar(float height) {
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(0, ds.y - height), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(ds.x, height), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().FramePadding.x, ImGui::GetStyle().FramePadding.y));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const ImGuiWindowFlags f = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  if (ImGui::Begin("##status", nullptr, f)) {
    const BuildInfo b = build_info();
    ImGui::PushStyleColor(ImGuiCol_Text, b.simd ? kGreen : kOrange);
    ImGui::Text("SIMD %s", b.simd ? "on" : "off");
    ImGui::PopStyleColor();
    ImGui::SameLine(0, ImGui::GetFontSize());
    if (b.threads_enabled) {
      ImGui::Text("threads %d of %d in the pool", lab_.threads(), lab_.max_threads());
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, kOrange);
      ImGui::TextUnformatted("single-threaded fallback");
      ImGui::PopStyleColor();
    }
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::Text("%.1f ms/frame (%.0f fps)", frame_ms_, frame_ms_ > 0 ? 1000.0 / frame_ms_ : 0.0);
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::PushStyleColor(ImGuiCol_Text, kBlue);
    ImGui::Text("NeuronLab %s", version());
    ImGui::PopStyleColor();
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// [SECTION] state for tests ---------------------------------------------------------------------

std::string App::state_json() const {
  const BuildInfo b = build_info();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"frame\":%lld,\"frame_ms\":%.3f,\"mode\":\"%s\",\"dpr\":%.3f,\"display_w\":%.1f,\"display_h\":%.1f,\"simd\":%s,\"threads_enabled\":%s,"
                "\"threads\":%d,\"max_threads\":%d,\"version\":\"%s\",\"theme\":\"%s\",\"ui_scale\":%.2f,"
                "\"show_diagnostics\":%s,\"force_reference\":%s,\"bench\":{\"state\":\"%s\",\"n\":%d,\"error\":\"",
                frames_, frame_ms_, json_escape(info_.mode).c_str(), info_.dpr, ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y,
                b.simd ? "true" : "false",
                b.threads_enabled ? "true" : "false", lab_.threads(), lab_.max_threads(), version(), dark_ ? "dark" : "light",
                ui_scale_, show_diagnostics_ ? "true" : "false", lab_.force_reference() ? "true" : "false",
                bench_state_.c_str(), bench_n_);
  std::string s = buf;
  s += json_escape(bench_error_) + "\",\"result\":" + (bench_result_json_.empty() ? "null" : bench_result_json_) + "}}";
  return s;
}

}  // namespace lab::ui
