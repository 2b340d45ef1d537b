// NeuronLab UI — "Describe this view": the numbers behind the plots, as sentences a screen reader reads out
// (and anyone can copy). View menu → "Describe this view" or the D key puts the text in the page's live
// region and in a window; the page's JS reads it with lab.ui.describe().
//
//   std::string text = describe_views(controller, "Confusion", attributions.state());
//
// It describes the run (data, network, step, metrics and how the learning curves moved), then the view on
// screen: `tab` is the Views panel's open tab ("Surface", "Predictions", "Confusion", "Most confused",
// "Activations", "Filters", "Attributions", "Arena"; empty when unknown).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "state/controller.h"

namespace lab::ui {

std::string describe_views(const Controller& c, const std::string& tab, const nlohmann::json& attributions);

}  // namespace lab::ui
