// network_graph.cpp — the Network panel's graph: dense layers as columns of nodes joined by weighted edges;
// hover shows a value, click edits a weight, right-click a neuron edits its bias, click inspects it.
#include "panels/network_common.h"

namespace lab::ui::netpanel {

void input_name(const Snapshot& v, int g0, int i, char* buf, size_t cap) {
  if (g0 == 0 && i < (int)v.feature_names.size())
    std::snprintf(buf, cap, "%s", feature_label(v.feature_names[i]));
  else
    std::snprintf(buf, cap, "#%d", i);
}

void node_name(const Snapshot& v, const Column& col, int g0, int i, char* buf, size_t cap) {
  if (col.spec < 0) {
    char in[64];
    input_name(v, g0, i, in, sizeof in);
    std::snprintf(buf, cap, "input %s", in);
  } else if (col.output) {
    std::snprintf(buf, cap, "output %d", i);
  } else {
    std::snprintf(buf, cap, "layer %d neuron %d", col.spec + 1, i);
  }
}

// Distance² from p to the segment a–b.
float segment_dist2(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// Columns of the graph: the input of spec layer g0, then every dense spec layer from g0 on. False when
// the snapshot does not fit the spec (shapes differ while a rebuild is pending).
bool graph_columns(Ctx& x, int g0, std::vector<Column>& cols) {
  const Snapshot& v = x.v;
  const int n = (int)x.layers.size();
  cols.clear();
  Column in;
  in.n = (int)(g0 == 0 ? shape_size(v.input_shape) : shape_size(v.layers[x.map.last[g0 - 1]].out_shape));
  if (in.n <= 0) return false;
  cols.push_back(in);
  int last_dense = -1;
  for (int i = g0; i < n; ++i)
    if (view_of(x.c, str_field(x.layers[i], "type")) == "dense") last_dense = i;
  for (int i = g0; i < n; ++i) {
    if (str_field(x.layers[i], "type") != "dense") continue;
    Column col;
    col.spec = i;
    col.dense = x.map.first[i];
    col.out = x.map.last[i];
    for (int j = i + 1; j < n && str_field(x.layers[j], "type") == "activation"; ++j) col.out = x.map.last[j];
    const LayerView& L = v.layers[col.dense];
    if (L.weight_shape.size() != 2 || L.weight_shape[1] != cols.back().n) return false;
    col.n = L.weight_shape[0];
    if (col.n <= 0 || L.weight.size() != (size_t)col.n * cols.back().n) return false;
    col.output = i == last_dense;
    cols.push_back(col);
  }
  for (auto& col : cols) col.shown = col.n <= kMaxNodes ? col.n : kMaxNodes - 1;
  return cols.size() >= 2;
}

void open_edge_popup(Ctx& x, const Column& prev, const Column& col, int g0, int to, int from) {
  PanelState& st = x.st;
  const LayerView& L = x.v.layers[col.dense];
  st.edge.layer = col.dense;
  st.edge.to = to;
  st.edge.from = from;
  st.edge.in = prev.n;
  st.edge.value = L.weight[(size_t)to * prev.n + from];
  // In the panel's own words and numbering (layers from 1, neurons from 0: "layer 1 neuron 0").
  char a[80], b[80];
  node_name(x.v, prev, g0, from, a, sizeof a);
  node_name(x.v, col, g0, to, b, sizeof b);
  std::snprintf(st.edge.title, sizeof st.edge.title, "from %s", a);
  std::snprintf(st.edge.what, sizeof st.edge.what, "to %s", b);
  ImGui::OpenPopup("Edit weight");
}

void edge_popup(Controller& c, PanelState& st) {
  if (!ImGui::BeginPopup("Edit weight")) return;
  ImGui::Text("Weight %s", st.edge.title);
  ImGui::TextDisabled("%s", st.edge.what);
  bool apply = false;
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  apply |= ImGui::InputFloat("Weight", &st.edge.value, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue);
  apply |= ImGui::Button("Set weight");
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  if (apply && std::isfinite(st.edge.value)) {
    c.set_weight(st.edge.layer, "weight", (long long)st.edge.to * st.edge.in + st.edge.from, st.edge.value);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// Right-click on a neuron: its bias and (the first few of) its incoming weights, editable; and inspect.
void node_popup(Ctx& x) {
  PanelState& st = x.st;
  if (!ImGui::BeginPopup("Edit neuron")) return;
  const Snapshot& v = x.v;
  const int d = st.node.dense, u = st.node.unit;
  if (d < 0 || d >= (int)v.layers.size() || v.layers[d].weight_shape.size() != 2 || u >= v.layers[d].weight_shape[0]) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const LayerView& L = v.layers[d];
  const int in = L.weight_shape[1];
  ImGui::TextUnformatted(st.node.title);
  if (ImGui::Button("Inspect neuron")) {
    x.c.inspect_neuron(st.node.out, u);
    x.c.neuron_open = true;
    ImGui::CloseCurrentPopup();
  }
  ImGui::BeginDisabled(x.locked);
  ImGui::SetNextItemWidth(x.fs * 7);
  if (u < (int)L.bias.size()) {
    float b = L.bias[u];
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (ImGui::InputFloat("Bias", &b, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue) && std::isfinite(b))
      x.c.set_weight(d, "bias", u, b);
    ImGui::SetItemTooltip("Enter to apply");
  } else {
    ImGui::TextDisabled("no bias (bias: 0 in the spec)");
  }
  ImGui::SeparatorText("Incoming weights");
  const int listed = std::min(in, kMaxListedWeights);
  for (int i = 0; i < listed; ++i) {
    char from[96], label[112];
    if (st.node.prev_spec < 0) {
      char nm[64];
      input_name(v, st.node.g0, i, nm, sizeof nm);
      std::snprintf(from, sizeof from, "%s", nm);
    } else {
      std::snprintf(from, sizeof from, "layer %d neuron %d", st.node.prev_spec + 1, i);
    }
    std::snprintf(label, sizeof label, "from %s##w%d", from, i);
    float w = L.weight[(size_t)u * in + i];
    ImGui::SetNextItemWidth(x.fs * 7);
    if (ImGui::InputFloat(label, &w, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue) && std::isfinite(w))
      x.c.set_weight(d, "weight", (long long)u * in + i, w);
  }
  if (in > listed) ImGui::TextDisabled("… and %d more: click an edge to edit it", in - listed);
  ImGui::EndDisabled();
  ImGui::EndPopup();
}

// The dense part of the network (spec layers g0 …) as columns of nodes joined by weighted edges.
void graph(Ctx& x, int g0) {
  std::vector<Column>& cols = x.cols;  // reused: no allocation per frame once sized
  const Snapshot& v = x.v;
  if (!x.map.matches || !graph_columns(x, g0, cols)) {
    ImGui::TextDisabled("Updating the network…");
    return;
  }
  const Scales& sc = scales(x.scales, v);
  const int K = (int)cols.size();
  const float fs = x.fs;
  const bool plane = v.plane && g0 == 0;
  int rows = 1;
  for (const auto& col : cols) rows = std::max(rows, col.rows());

  // Layout: node size from the tallest column, labels left of the inputs and right of the outputs.
  const float W = ImGui::GetContentRegionAvail().x;
  // Node size: the tallest column fills the panel's remaining height (at least ~20 lines), within limits.
  const float room = std::max(fs * 20.0f, ImGui::GetContentRegionAvail().y - 4 * ImGui::GetTextLineHeightWithSpacing());
  float s = std::clamp(room / (rows * 1.3f), fs * 0.7f, fs * 2.6f);
  float left_w = 0, right_w = 0;
  char buf[128];
  for (int i = 0; i < cols[0].shown; ++i) {
    input_name(v, g0, i, buf, sizeof buf);
    left_w = std::max(left_w, ImGui::CalcTextSize(buf).x);
  }
  const Column& out_col = cols.back();
  if (out_col.output && v.task == "classification")
    for (int i = 0; i < out_col.shown && i < (int)v.class_names.size(); ++i)
      right_w = std::max(right_w, ImGui::CalcTextSize(v.class_names[i].c_str()).x);
  left_w = std::min(left_w + fs * 0.3f, W * 0.2f);
  right_w = right_w > 0 ? std::min(right_w + fs * 0.3f, W * 0.15f) : 0.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  auto place = [&] {
    const float x0 = origin.x + left_w + s * 0.5f, x1 = origin.x + W - right_w - s * 0.5f;
    for (int k = 0; k < K; ++k) cols[k].x = K > 1 ? x0 + (x1 - x0) * k / (K - 1) : x0;
  };
  place();
  if (K > 1 && cols[1].x - cols[0].x < s * 2.0f) {  // many layers: smaller nodes so edges stay visible
    s = std::max(fs * 0.5f, (cols[1].x - cols[0].x) * 0.5f);
    place();
  }
  const float pitch = s * 1.3f;

  // Column titles: "Inputs" / "Layer 2" / "Output", with units and activation under them.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  for (const auto& col : cols) {
    char title[48], sub[64];
    if (col.spec < 0)
      std::snprintf(title, sizeof title, g0 == 0 ? "Inputs" : "Flattened");
    else if (col.output)
      std::snprintf(title, sizeof title, "Output");
    else
      std::snprintf(title, sizeof title, "Layer %d", col.spec + 1);
    if (col.spec < 0)
      std::snprintf(sub, sizeof sub, "%d", col.n);
    else {
      const std::string act = col.out != col.dense ? v.layers[col.out].activation : std::string("linear");
      std::snprintf(sub, sizeof sub, "%d · %s", col.n, act.c_str());
    }
    const float tw = ImGui::CalcTextSize(title).x, sw = ImGui::CalcTextSize(sub).x;
    ImGui::SetCursorScreenPos(ImVec2(std::clamp(col.x - tw * 0.5f, origin.x, origin.x + W - tw), origin.y));
    ImGui::TextUnformatted(title);
    ImGui::SetCursorScreenPos(ImVec2(std::clamp(col.x - sw * 0.5f, origin.x, origin.x + W - sw), origin.y + line));
    ImGui::TextDisabled("%s", sub);
  }
  const float top = origin.y + 2 * line + fs * 0.3f, H = rows * pitch;
  auto node_y = [&](const Column& col, int i) { return top + (H - col.rows() * pitch) * 0.5f + (i + 0.5f) * pitch; };

  // Edges, strongest first when a pair of columns has more than its share of the budget. The edge nearest
  // the mouse (among those drawn) is found on the way, without storing any.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  // The canvas is submitted below; while it is held (a click in progress) the window still counts as hovered.
  const ImGuiID canvas_id = ImGui::GetID("network graph##canvas");
  const ImGuiID active = ImGui::GetActiveID();
  const bool mouse_in = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && (active == 0 || active == canvas_id) &&
                        mouse.x >= origin.x && mouse.x <= origin.x + W && mouse.y >= top && mouse.y <= top + H;
  const float px = fs / 15.0f;
  const float hit2 = (fs * 0.35f) * (fs * 0.35f);
  int budget = std::min(kEdgeBudget, std::max(0, (kVertexCap - dl->VtxBuffer.Size) / kVerticesPerEdge - 2000));
  bool thinned = false;
  int best_k = -1, best_to = -1, best_from = -1;
  float best_d2 = hit2;
  x.mags.resize(kMaxNodes * kMaxNodes);
  float* mags = x.mags.data();  // |w| of one column pair's shown edges (thinning threshold)
  for (int k = 1; k < K; ++k) {
    const Column &prev = cols[k - 1], &col = cols[k];
    const LayerView& L = v.layers[col.dense];
    const float* wt = L.weight.data();  // (col.n, prev.n)
    const int in = prev.n;
    const float scale = sc.w[col.dense] > 0 ? sc.w[col.dense] : 1.0f;
    const int pair_budget = budget / (K - k);
    const int count = col.shown * prev.shown;
    float thr = 0.0f;
    if (count > pair_budget) {
      thinned = true;
      int m = 0;
      for (int to = 0; to < col.shown; ++to)
        for (int from = 0; from < prev.shown; ++from) mags[m++] = std::fabs(wt[(size_t)to * in + from]);
      if (pair_budget <= 0)
        thr = INFINITY;
      else {
        std::nth_element(mags, mags + (m - pair_budget), mags + m);
        thr = mags[m - pair_budget];
      }
    }
    int drawn = 0;
    for (int to = 0; to < col.shown && drawn < pair_budget; ++to) {
      const ImVec2 b(col.x - s * 0.5f, node_y(col, to));
      for (int from = 0; from < prev.shown && drawn < pair_budget; ++from) {
        const float w = wt[(size_t)to * in + from], r = std::fabs(w) / scale;
        if (!(std::fabs(w) >= thr)) continue;
        const ImVec2 a(prev.x + s * 0.5f, node_y(prev, from));
        const float width = std::max(1.0f, std::round((0.5f + 4.5f * r) * px));
        dl->AddLine(a, b, diverging_color(w / scale, 0.35f + 0.6f * std::min(r, 1.0f)), width);
        ++drawn;
        if (mouse_in) {
          const float d2 = segment_dist2(mouse, a, b);
          if (d2 < best_d2) {
            best_d2 = d2;
            best_k = k;
            best_to = to;
            best_from = from;
          }
        }
      }
    }
    budget -= drawn;
  }
  if (best_k > 0) {  // highlight the edge under the mouse
    const Column &prev = cols[best_k - 1], &col = cols[best_k];
    const float w = v.layers[col.dense].weight[(size_t)best_to * prev.n + best_from];
    const float scale = sc.w[col.dense] > 0 ? sc.w[col.dense] : 1.0f;
    const ImVec2 a(prev.x + s * 0.5f, node_y(prev, best_from)), b(col.x - s * 0.5f, node_y(col, best_to));
    const float width = std::max(1.0f, std::round((0.5f + 4.5f * std::fabs(w) / scale) * px));
    dl->AddLine(a, b, ImGui::GetColorU32(ImGuiCol_Text), width + 2.0f * std::max(1.0f, px));
    dl->AddLine(a, b, diverging_color(w / scale), width);
  }

  const ImGuiID node_popup_id = ImGui::GetID("Edit neuron");  // node_popup() begins it at this ID level

  // Nodes: invisible buttons (hover: name, bias, the big thumbnail; click: inspect; right-click: edit),
  // faces drawn on top of the edges.
  const ImU32 border = ImGui::GetColorU32(ImGuiCol_TextDisabled), frame = ImGui::GetColorU32(ImGuiCol_FrameBg);
  const ImU32 hover_border = ImGui::GetColorU32(ImGuiCol_Text);
  const float round = s >= fs * 1.2f ? s * 0.18f : 0.0f;  // small nodes square: far fewer vertices
  for (int k = 0; k < K; ++k) {
    const Column& col = cols[k];
    ImGui::PushID(k);
    for (int i = 0; i < col.shown; ++i) {
      const float y = node_y(col, i);
      const ImVec2 a(col.x - s * 0.5f, y - s * 0.5f), z(col.x + s * 0.5f, y + s * 0.5f);
      ImTextureID face = 0;
      if (plane) {
        if (col.spec < 0) {
          if (i < (int)v.feature_names.size()) face = feature_texture(x.tex, x.features, v, v.feature_names[i]);
        } else if (col.output) {
          face = v.output_dim > 1 ? plane_texture(x.c, x.tex, col.out, i) : 0;
          if (!face) face = plane_texture(x.c, x.tex, -1, 0);
        } else {
          face = plane_texture(x.c, x.tex, col.out, i);
        }
      }
      const LayerView* L = col.dense >= 0 ? &v.layers[col.dense] : nullptr;
      const bool has_bias = L && i < (int)L->bias.size();
      const float bias = has_bias ? L->bias[i] : 0.0f;
      if (face)
        dl->AddImageRounded(face, a, z, ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE, round);
      else if (has_bias)
        dl->AddRectFilled(a, z, diverging_color(sc.b[col.dense] > 0 ? bias / sc.b[col.dense] : 0.0f), round);
      else
        dl->AddRectFilled(a, z, frame, round);
      char name[96], label[112];
      node_name(v, col, g0, i, name, sizeof name);
      std::snprintf(label, sizeof label, "%s##node%d", name, i);
      ImGui::SetCursorScreenPos(a);
      const bool clicked =
          ImGui::InvisibleButton(label, ImVec2(s, s), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
      const bool hovered = ImGui::IsItemHovered();
      dl->AddRect(a, z, hovered ? hover_border : border, round, 0, hovered ? 2.0f * std::max(1.0f, px) : 1.0f);
      if (hovered) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(name);
        if (col.output && v.task == "classification" && i < (int)v.class_names.size())
          ImGui::TextDisabled("class %s", v.class_names[i].c_str());
        if (col.spec >= 0) {
          if (has_bias)
            ImGui::Text("bias b[%d][%d] = %.4f", col.dense, i, bias);
          else
            ImGui::TextDisabled("no bias");
          if (face) ImGui::Image(face, ImVec2(fs * 9, fs * 9));
          ImGui::TextDisabled(x.locked ? "Click: inspect" : "Click: inspect · right-click: edit bias and weights");
        } else if (face) {
          ImGui::Image(face, ImVec2(fs * 9, fs * 9));
        }
        ImGui::EndTooltip();
      }
      if (clicked && col.spec >= 0) {
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
          if (!x.locked) {
            PanelState& st = x.st;
            st.node.dense = col.dense;
            st.node.out = col.out;
            st.node.unit = i;
            st.node.prev_spec = cols[k - 1].spec;
            st.node.g0 = g0;
            std::snprintf(st.node.title, sizeof st.node.title, "%s", name);
            ImGui::OpenPopup(node_popup_id);
          }
        } else {
          x.c.inspect_neuron(col.out, i);
          x.c.neuron_open = true;
        }
      }
      // Labels beside the inputs and the outputs.
      if (col.spec < 0) {
        input_name(v, g0, i, buf, sizeof buf);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        ImGui::SetCursorScreenPos(ImVec2(std::max(origin.x, a.x - fs * 0.3f - ts.x), y - ts.y * 0.5f));
        ImGui::TextUnformatted(buf);
      } else if (col.output && right_w > 0 && i < (int)v.class_names.size()) {
        const ImVec2 ts = ImGui::CalcTextSize(v.class_names[i].c_str());
        ImGui::SetCursorScreenPos(ImVec2(z.x + fs * 0.3f, y - ts.y * 0.5f));
        ImGui::TextUnformatted(v.class_names[i].c_str());
      }
    }
    if (col.n > col.shown) {
      std::snprintf(buf, sizeof buf, "… %d more", col.n - col.shown);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      ImGui::SetCursorScreenPos(
          ImVec2(std::clamp(col.x - ts.x * 0.5f, origin.x, origin.x + W - ts.x), node_y(col, col.shown) - ts.y * 0.5f));
      ImGui::TextDisabled("%s", buf);
    }
    ImGui::PopID();
  }

  // The canvas, submitted last so that the nodes above take the hover first: the edges' hover and click.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, top));
  const bool canvas_clicked = ImGui::InvisibleButton("network graph##canvas", ImVec2(std::max(1.0f, W), std::max(1.0f, H)));
  const bool canvas_hovered = ImGui::IsItemHovered();
  if (canvas_hovered && best_k > 0) {
    const Column &prev = cols[best_k - 1], &col = cols[best_k];
    const float w = v.layers[col.dense].weight[(size_t)best_to * prev.n + best_from];
    char a[80], b[80];
    node_name(v, prev, g0, best_from, a, sizeof a);
    node_name(v, col, g0, best_to, b, sizeof b);
    ImGui::BeginTooltip();
    ImGui::Text("Weight %.4f", w);
    ImGui::TextDisabled("from %s to %s", a, b);
    if (!x.locked) ImGui::TextDisabled("Click to edit");
    ImGui::EndTooltip();
  }
  if (canvas_clicked && best_k > 0 && !x.locked) open_edge_popup(x, cols[best_k - 1], cols[best_k], g0, best_to, best_from);
  if (thinned) ImGui::TextDisabled("Wide layers: the strongest of the shown edges are drawn.");
}

}  // namespace lab::ui::netpanel
