// NeuronLab — the browser entry point and main loop.
//
// main() creates the ImGui context, the WebGL2 canvas (platform_html5), the Lab (core) and the App (ui),
// then hands control to the browser: emscripten_set_main_loop calls frame() once per animation frame.
// frame() reads top to bottom: platform → fonts → new frame → app → render → probe.
// Heavy work never runs here: the App submits jobs to the Lab's job thread and polls them.
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/ui_probe.h"
#include "base/version.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "platform_html5.h"
#include "texture_gl.h"

#include <nlohmann/json.hpp>

namespace {

constexpr int kMaxThreads = 16;        // matches PTHREAD_POOL_SIZE's cap in cmake/Wasm.cmake
constexpr float kFontSizeCss = 15.0f;  // UI font size in CSS pixels at 100 % scale

// The page's one running app (the browser calls frame() with no context of ours).
struct Host {
  std::unique_ptr<lab::Lab> lab;
  lab::web::GlTextures textures;
  std::unique_ptr<lab::ui::App> app;
  lab::ui::AppInfo info;
  lab::ui::UiProbe probe;       // what is on screen, for tests (ui_probe.h)
  float font_raster_scale = 0;  // dpr × ui scale the font atlas was built for
  double frame_ms = 16.7;       // smoothed
};
Host* g_host = nullptr;

void report_fatal(const std::string& msg) {
  EM_ASM(
      {
        if (Module['onLabFatal'])
          Module['onLabFatal'](UTF8ToString($0));
        else
          console.error(UTF8ToString($0));
      },
      msg.c_str());
}

// Rasterise the UI font at CSS size × ui scale × devicePixelRatio, so glyphs map 1:1 to device pixels.
void ensure_font(float dpr, float ui_scale) {
  const float raster = dpr * ui_scale;
  if (raster == g_host->font_raster_scale) return;
  g_host->font_raster_scale = raster;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // The font file holds these ranges only (cmake/Wasm.cmake subsets it): change both together.
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
  ImFontConfig cfg;
  cfg.OversampleH = 1;  // already at device resolution
  cfg.PixelSnapH = true;
  ImFont* font = io.Fonts->AddFontFromFileTTF("/fonts/ui.ttf", kFontSizeCss * raster, &cfg, ranges);
  if (!font) {  // the font is preloaded with the module; fall back to ImGui's built-in bitmap font
    ImFontConfig def;
    def.SizePixels = 13.0f * raster;
    io.Fonts->AddFontDefault(&def);
  }
  io.FontGlobalScale = 1.0f / dpr;
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

// The UI's requests to the page (copy a link, download, open a file, save state, the live region), handed
// to boot.mjs's Module.onLabRequest(kind, name, mime, text, bytes).
void deliver_requests() {
  auto reqs = g_host->app->controller().take_requests();
  if (reqs.empty()) return;
  emscripten::val f = emscripten::val::module_property("onLabRequest");
  if (f.isUndefined()) return;
  for (auto& r : reqs) {
    emscripten::val bytes =
        r.bytes.empty() ? emscripten::val::null()
                        : emscripten::val(emscripten::typed_memory_view(r.bytes.size(), r.bytes.data())).call<emscripten::val>("slice");
    f(r.kind, r.name, r.mime, r.text, bytes);
  }
}

void frame() {
  Host& h = *g_host;
  // Single-threaded build: queued jobs run here, a slice (~6 ms) after another for about 20 ms a frame,
  // so a frame never waits long and a job still gets most of the time (a no-op when jobs have a thread).
  h.lab->jobs().pump(20.0);
  const float dpr = lab::web::platform_new_frame();
  h.info.dpr = dpr;
  ensure_font(dpr, h.app->ui_scale());
  h.frame_ms += (ImGui::GetIO().DeltaTime * 1000.0 - h.frame_ms) * 0.1;

  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  h.app->frame(h.info, h.frame_ms);
  ImGui::Render();

  glViewport(0, 0, lab::web::framebuffer_width(), lab::web::framebuffer_height());
  const ImVec4 bg = h.app->page_clear_color();
  glClearColor(bg.x, bg.y, bg.z, bg.w);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  lab::web::platform_end_frame();
  lab::ui::ui_probe_frame_done(h.probe);
  deliver_requests();
}

// --- bindings that need the running app (the core's own are in bindings.cpp) ---------------------
using emscripten::val;

val ui_items() {
  val out = val::array();
  if (!g_host) return out;
  int i = 0;
  for (const auto& it : g_host->probe.last) {
    val o = val::object();
    o.set("window", it.window);
    o.set("label", it.label);
    o.set("id", it.id);
    o.set("flags", it.flags);
    o.set("x", it.x);
    o.set("y", it.y);
    o.set("w", it.w);
    o.set("h", it.h);
    out.set(i++, o);
  }
  return out;
}

std::string app_state() { return g_host ? g_host->app->state_json() : "{}"; }
std::string ui_describe() { return g_host ? g_host->app->describe() : ""; }
void ui_tour() {
  if (g_host) g_host->app->start_tour();
}

// The page's answers to the UI's requests, and what it hands the UI at start (a link's state).
void ui_deliver_file(const std::string& what, const std::string& name, const val& bytes) {
  if (g_host) g_host->app->controller().deliver_file(what, name, emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
}
void ui_replay(const std::string& history, const std::string& what) {
  if (g_host) g_host->app->controller().replay(history, what);
}
void ui_set_classroom(const std::string& c) {
  if (!g_host) return;
  try {
    g_host->app->controller().set_classroom(nlohmann::json::parse(c));
  } catch (const std::exception&) {
    g_host->app->controller().set_classroom(nullptr);
  }
}
void ui_notify(const std::string& text) {
  if (g_host) g_host->app->controller().set_notice(text);
}
void ui_download_progress(const std::string& name, double fraction) {
  if (g_host) g_host->app->controller().download_progress(name, fraction);
}
void ui_dataset_ready(const std::string& name, const std::string& error) {
  if (g_host) g_host->app->controller().dataset_ready(name, error);
}
void ui_link(const std::string& link, bool copied) {
  if (!g_host) return;
  g_host->app->controller().last_link = link;
  g_host->app->controller().link_copied = copied;
}
// lab.ui.layout(patch): the panels' layout; a patch (JSON text, "" for none) is applied first. Returns
// {"layout": …} or {"error": "…"} (nothing changed then).
std::string ui_layout(const std::string& patch) {
  if (!g_host) return R"({"error":"the lab has not started"})";
  if (!patch.empty()) {
    nlohmann::json p = nlohmann::json::parse(patch, nullptr, false);
    const std::string err = p.is_discarded() ? "The layout is not valid JSON." : g_host->app->set_layout(p);
    if (!err.empty()) return nlohmann::json({{"error", err}}).dump();
  }
  return nlohmann::json({{"layout", g_host->app->layout_json()}}).dump();
}
std::string ui_share_state() { return g_host ? g_host->app->controller().share_state().dump() : "null"; }
lab::Lab* app_lab() { return g_host ? g_host->lab.get() : nullptr; }

}  // namespace

EMSCRIPTEN_BINDINGS(neuronlab_app) {
  emscripten::function("uiItems", &ui_items);
  emscripten::function("appState", &app_state);
  emscripten::function("uiDescribe", &ui_describe);
  emscripten::function("appLab", &app_lab, emscripten::allow_raw_pointers());
  emscripten::function("uiDeliverFile", &ui_deliver_file);
  emscripten::function("uiReplay", &ui_replay);
  emscripten::function("uiSetClassroom", &ui_set_classroom);
  emscripten::function("uiNotify", &ui_notify);
  emscripten::function("uiDatasetReady", &ui_dataset_ready);
  emscripten::function("uiDownloadProgress", &ui_download_progress);
  emscripten::function("uiLink", &ui_link);
  emscripten::function("uiTour", &ui_tour);
  emscripten::function("uiShareState", &ui_share_state);
  emscripten::function("uiLayout", &ui_layout);
}

int main() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is the app's, not a file's
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;

  const std::string err = lab::web::platform_init("#canvas");
  if (!err.empty()) {
    report_fatal(err);
    return 0;
  }
  if (!ImGui_ImplOpenGL3_Init("#version 300 es")) {
    report_fatal("Could not initialise WebGL2 rendering.");
    return 0;
  }

  g_host = new Host();
  lab::ui::ui_probe_enable(ImGui::GetCurrentContext(), g_host->probe);
  g_host->lab = std::make_unique<lab::Lab>(std::min(kMaxThreads, lab::ThreadPool::hardware_threads()));
#if defined(LAB_SINGLE_THREADED)
  g_host->info.mode = "st";
#else
  g_host->info.mode = "mt";
#endif
  g_host->app = std::make_unique<lab::ui::App>(*g_host->lab, g_host->textures);
  EM_ASM({
    if (Module['onLabReady']) Module['onLabReady']();
  });
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
