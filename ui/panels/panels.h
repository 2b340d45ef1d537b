// NeuronLab UI — the panels and views. Each is drawing code over a Controller (controller.h): it reads
// c.spec(), c.view() (the Snapshot) and c.registries(), and changes things only through the
// Controller's actions. Each draws into the current ImGui window (the App places the windows), except
// window_* which open their own.
//
// Control ids for classroom mode (Classroom::hidden): every control a teacher may hide checks its id
// (data, noise, ratio, seed, features, network, activation, lr, optimizer, batch, regularization,
// schedule, stop, play, step, reset, csv); Classroom::locked("data" / "network") disables editing.
#pragma once
#include <memory>
#include <vector>

#include "app/texture.h"
#include "state/controller.h"
#include "widgets/plots.h"

namespace lab::ui {

class AttributionViews;

void panel_data(Controller& c, TextureCache& tex);  // panel_data.cpp: dataset, its parameters, seed, preview, CSV
// What the network panel keeps between frames (popup targets, scales, texture and layout caches). The App
// owns one (make_network_panel_memory) and hands it in every frame: the UI keeps no function-local state.
struct NetworkPanelMemory;
std::shared_ptr<NetworkPanelMemory> make_network_panel_memory();
void panel_network(Controller& c, TextureCache& tex, NetworkPanelMemory& mem);  // panel_network.cpp: graph and layer editor
void panel_training(Controller& c);             // panel_training.cpp: play/pause/step/reset, hyper-parameters, curves
void view_plane(Controller& c, TextureCache& tex);  // views_plane.cpp: decision surface / fitted surface with the points
// What the image views keep between frames; the App owns one.
struct ImageViewMemory {
  int page_size = 0;                   // the largest page the controller has shown
  int cell_true = -1, cell_pred = -1;  // the clicked confusion cell
  std::string tab;                     // the Views panel's open tab, as its label says (describe.h)
};
// views_image.cpp: predictions, confusion, most confused, activations, filters; with `attr`, also the
// Attributions and Arena tabs (attributions.h).
void view_images(Controller& c, TextureCache& tex, ImageViewMemory& mem, AttributionViews* attr = nullptr);
void window_neuron(Controller& c, TextureCache& tex);  // inspector.cpp: the neuron inspector (when c.neuron_open)

// The 2-D plane as a texture (views_plane.cpp): layer < 0 → the network's output (decision surface: class
// colours blended by probability, or the regression value); else model layer `layer`'s unit `unit`
// (diverging colours, scaled by the unit's max |value|). Cached per snapshot version; grid×grid pixels.
ImTextureID plane_texture(Controller& c, TextureCache& tex, int layer, int unit);

// The snapshot's 2-D points (train, then test) for plots.h plane_plot: class colours, or the regression
// target squashed by tanh for the diverging colours.
std::vector<PlotPoint> plane_points(const Snapshot& v);

// The cell of a G×G grid over the plane [x0, x1] × [y0, y1] that holds (x, y), as row × G + col with row 0
// at the top (y = y1), the order of Snapshot::grid_out; points outside clamp to the border cells
// (G ≤ 0: 0).
int plane_cell(float x, float y, float x0, float x1, float y0, float y1, int G);

// One sample of an image dataset (C, H, W) as a texture, cached by key + snapshot version (budgeted).
ImTextureID sample_texture(TextureCache& tex, const std::string& key, long long version, const float* chw, int C, int H, int W);

}  // namespace lab::ui
