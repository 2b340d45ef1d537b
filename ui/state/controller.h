// NeuronLab UI — the Controller: what the panels show and every action they can take.
//
// The panels (panel_*.cpp, views_*.cpp) are drawing code; all state and all changes live here, so that
// a click in any panel and a call through the JS API end in the same place (the core's Lab), and the
// event log that a shared link replays records both.
//
//   Controller c(lab);
//   c.frame();                       // once per frame, before the panels: polls jobs, starts the next chunk
//   c.set_dataset("spiral");         // an edit of the data or the network rebuilds the run (same seed)
//   c.set_hyper({{"optimizer", {{"lr", 0.01}}}});  // hyper-parameters change live, logged
//   c.play(); c.pause(); c.step_batch(); c.step_epoch(); c.reset();
//   const Snapshot& s = c.view();    // what the views draw: metrics, curves, weights, surfaces, predictions
//
// Threads: training runs as jobs on the Lab's job thread (chunks sized to about 30 ms); each chunk's job
// also computes the next Snapshot, so the main thread never waits for the core. In the single-threaded
// fallback chunks are shorter, because they run inside the frame.
//
// Requests to the page (copy a link, download a file, open a file picker, save to browser storage,
// update the screen reader's live region, write the URL hash) are queued with request() and drained by
// the platform (wasm/main.cpp) after each frame; the page answers with deliver_file() etc.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session/lab.h"

namespace lab::ui {

using json = nlohmann::json;

// Model layer i's parameters (copies), for the network graph and the filter views.
struct LayerView {
  std::string type;                 // "dense", "conv2d", "activation", ...
  std::string activation;           // for "activation" layers
  std::vector<int> out_shape;       // per sample
  std::vector<float> weight, bias;  // empty when the layer has none
  std::vector<int> weight_shape;    // dense (out, in); conv2d (F, C, KH, KW)
};

// Everything the views draw, computed off the main thread after each training chunk (and after every
// edit). Replaced whole: panels read it, never write it.
struct Snapshot {
  long long version = 0;  // bumps with every new snapshot (textures re-upload when it changes)
  long long step = 0;
  int epoch = 0;
  Metrics metrics;
  bool evaluated = false;  // metrics' train/test fields are from this snapshot's step
  double train_ms = 0;     // how long the chunk's training took (for sizing the next chunk)
  std::string digest;
  std::string task;  // "classification" / "regression"
  int num_classes = 0, output_dim = 0;
  std::vector<std::string> class_names, feature_names;
  std::vector<int> input_shape;
  size_t num_params = 0;
  std::vector<LayerView> layers;  // one per model layer (activation layers included)

  // 2-D data: the plane [x0, x1]×[y0, y1] sampled on grid×grid points (row 0 = top, y = y1).
  bool plane = false;
  int grid = 0;
  float x0 = -6, x1 = 6, y0 = -6, y1 = 6;
  std::vector<float> grid_out;               // (grid², output_dim): the network's output (logits / values)
  std::vector<std::vector<float>> grid_act;  // per layer: (grid², units) for 1-D layers, empty otherwise
  std::vector<float> train_xy, test_xy;      // raw points (n, 2)
  std::vector<int> train_label, test_label;  // classification
  std::vector<float> train_t, test_t;        // regression targets (n, output_dim)

  // Image (and table) data: a page of test samples with the network's outputs.
  int n_test = 0, n_train = 0;    // split sizes
  int page_size = 0;              // test samples per page of the prediction grid
  int shown_first = 0;            // test index of the first shown sample
  std::vector<float> shown_x;     // (shown, input size)
  std::vector<int> shown_label;   // classification
  std::vector<float> shown_out;   // (shown, output_dim)
  std::vector<int> confused;      // test indices: wrong predictions, most confident first (≤ 64)
  std::vector<float> confused_x;  // their inputs (confused.size(), input size)
  std::vector<int> confused_label, confused_pred;
  std::vector<float> confused_p;  // the predicted class' probability
  // The selected sample's activations per layer (Model::activations), for activation maps.
  int selected = 0;  // test index
  std::vector<float> selected_x;
  std::vector<std::vector<float>> selected_act;
};

// One neuron's profile for the inspector, computed on request.
struct NeuronReport {
  int layer = -1, unit = -1;  // model layer and unit (channel for conv layers)
  bool ready = false;
  std::vector<float> values;  // its activation on every sample used (test set, ≤ 2000)
  std::vector<int> top;       // indices into the test set, highest activation first (≤ 12)
  std::vector<float> top_value;
  std::vector<float> top_x;     // their inputs (top.size(), input size)
  std::vector<float> incoming;  // weights into it (dense: in; conv: C×KH×KW)
  std::vector<float> outgoing;  // weights out of it into the next parameterised layer
  float bias = 0;
  std::string title;  // "layer 2 (dense 8, tanh), neuron 3"
  std::string error;  // why the report could not be made (ready is then true)
};

// Classroom mode: set by a link; hides controls, locks parts, shows an instruction text.
struct Classroom {
  bool active = false;
  std::vector<std::string> hide;  // control ids: data, noise, ratio, seed, features, network, activation, lr,
                                  // optimizer, batch, regularization, schedule, stop, play, step, reset, csv
  std::vector<std::string> lock;  // "data", "network"
  std::string text;
  bool hidden(const char* id) const;
  bool locked(const char* what) const;
};

struct Request {
  std::string kind;            // "copy_link", "download", "open_file", "autosave", "live", "hash"
  std::string name;            // download: file name; open_file: what it is for ("csv", "experiment", "model")
  std::string mime;            // download: MIME type; open_file: the accept filter
  std::string text;            // the payload (JSON, text)
  std::vector<uint8_t> bytes;  // download: binary payload (when non-empty, instead of text)
};

class Controller {
 public:
  explicit Controller(Lab& lab);
  Lab& lab() { return lab_; }

  // Once per frame: finishes jobs, starts the next training chunk while playing, refreshes the snapshot.
  void frame(double now_ms);

  // --- the experiment being edited: the spec as JSON (every field filled in) ---------------------------
  const json& spec() const { return spec_; }
  const json& registries() const { return registries_; }
  const json* dataset_info(const std::string& name) const;  // its registry entry, or null
  bool is_plane() const { return view_ && view_->plane; }
  bool is_image() const;  // input shape (C, H, W)

  // Edits that rebuild the run from the seed (data, network). Each validates by loading; on error the
  // run and the spec stay as they were and error() says why.
  bool apply_spec(const json& spec);                          // any full spec
  bool set_dataset(const std::string& name);                  // with a default network that fits it
  bool set_data_param(const std::string& key, double value);  // n, noise, test_ratio, seed, extras
  bool regenerate();                                          // a new data seed
  bool set_seed(uint64_t seed);                               // the experiment's seed (weights and data)
  bool set_features(const std::vector<std::string>& names);
  bool set_layers(const json& layers);        // model.layers
  // Image data: the default small CNN ("cnn": convolutions, pools, flatten, dense) or the same with global
  // average pooling before the output layer ("cnn_gap", where Grad-CAM is meaningful).
  bool use_network_preset(const std::string& name);
  bool add_layer(int at, const json& layer);  // insert before spec layer `at` (-1 = before the output layer)
  bool remove_layer(int at);
  bool set_units(int at, int units);  // dense units / conv filters of spec layer `at`
  bool set_layer_field(int at, const std::string& key, const json& value);
  bool load_csv(const std::vector<uint8_t>& bytes, const std::string& file_name);
  const std::string& csv_name() const { return csv_name_; }
  // The page finished downloading a file-backed dataset that set_dataset asked for (error: why not).
  void dataset_ready(const std::string& name, const std::string& error);
  void download_progress(const std::string& name, double fraction);  // the page's download of its data file
  // Hyper-parameters change live (no rebuild), logged in the history: optimizer, batch_size,
  // regularization, schedule, stop.
  bool set_hyper(const json& patch);

  // --- running ----------------------------------------------------------------------------------
  void play();
  void pause();
  void toggle_play() { playing_ ? pause() : play(); }
  bool playing() const { return playing_; }
  void step_batch();
  void step_epoch();
  void reset();
  bool busy() const { return job_ != nullptr; }  // a job is in flight
  // A long job's progress (replay, dataset download, neuron report): what and how far, or empty.
  std::string progress_text() const;
  double progress() const;
  void cancel();

  // Edits a weight or bias (model layer, "weight"/"bias", flat index); logged. Pauses first.
  bool set_weight(int layer, const std::string& param, long long index, float value);

  // Replays a history (a link's or a file's) with a progress bar; pauses.
  void replay(const std::string& history_json, const std::string& what);
  // A replay measured (after its first half second) to take more than kAskAboveS seconds asks first:
  // go on (keep_replaying), or open the experiment at step 0 with its history kept (open_at_start). Any
  // cancelled replay does the latter and says where the run stands; replay_kept() replays the kept one.
  static constexpr double kAskAboveS = 10.0;
  bool replay_question() const { return replay_question_; }
  double replay_estimate_s() const { return replay_estimate_s_; }  // the whole replay, measured; < 0 until known
  long long replay_steps() const { return replay_steps_; }
  void keep_replaying() { replay_question_ = false, replay_answered_ = true; }
  void open_at_start() { cancel(); }
  bool has_kept_replay() const { return !kept_replay_.empty(); }
  void replay_kept();
  void drop_kept_replay() { kept_replay_.clear(); }
  std::string replay_question_text() const;  // "This link replays 100,000,000 steps: about 31 min on this computer."

  // --- views ---------------------------------------------------------------------------------------
  const Snapshot& view() const { return *view_; }
  std::shared_ptr<const Snapshot> view_ptr() const { return view_; }
  // Curves: one point per evaluation.
  struct Curves {
    std::vector<float> step, train_loss, test_loss, train_acc, test_acc, batch_loss, batch_step;
  } curves;
  void select_sample(int test_index);        // for the activation maps (images) and the inspector
  void show_page(int first_test_index);      // which test samples the prediction grid shows
  void inspect_neuron(int layer, int unit);  // computes a NeuronReport off-thread
  const NeuronReport& neuron() const { return neuron_; }
  bool neuron_open = false;

  // --- messages ---------------------------------------------------------------------------------
  const std::string& error() const { return error_; }  // the last refused edit / failed load
  void clear_error() { error_.clear(); }
  const std::string& notice() const { return notice_; }  // e.g. what a link's decoding ignored
  void set_notice(const std::string& s) { notice_ = s; }
  // The divergence doctor: when the core stopped a run, why, in words (empty otherwise), and the fix.
  const std::string& doctor() const { return doctor_; }
  float doctor_suggested_lr() const { return doctor_lr_; }
  void apply_doctor_fix();  // lower the rate as suggested and reset
  void clear_doctor();
  // The pace of Play: at most this many training steps a second (0: as fast as the machine goes). The
  // default lets a newcomer watch the learning happen; it changes no result, only how fast it comes.
  static constexpr double kDefaultSpeed = 300;
  double speed() const { return speed_; }
  void set_speed(double steps_per_second);
  bool doctor_is_warning() const { return doctor_is_warning_; }  // a LossWatch warning, not a stopped run
  const std::string& stop_message() const { return stop_msg_; }

  // --- sharing, saving ---------------------------------------------------------------------------
  Classroom classroom;
  void set_classroom(const json& c);  // {hide, lock, text}
  json classroom_json() const;
  // The history with the current step, the classroom and the view settings: what a link / autosave holds.
  json share_state() const;
  void copy_link();                         // queues "copy_link" with share_state()
  void export_experiment();                 // download: experiment file (history + weights)
  void export_model();                      // download: model file (binary)
  void export_pytorch();                    // download: runnable PyTorch script
  void open_file(const std::string& what);  // "csv", "experiment"
  void deliver_file(const std::string& what, const std::string& name, const std::vector<uint8_t>& bytes);
  void request(Request r) { requests_.push_back(std::move(r)); }
  std::deque<Request> take_requests() {
    std::deque<Request> r;
    r.swap(requests_);
    return r;
  }
  std::string last_link;     // the link text of the last copy_link (set by the page)
  bool link_copied = false;  // the page could write it to the clipboard

  // Settings the views use.
  bool show_test = true, show_train = true, log_scale = false, discretize = false;
  bool log_steps = false, recent = false;  // the learning curves: a log step axis; the recent part of the run only
  int regularization_shown = 0;  // the Training panel keeps "L1"/"L2" selected while its rate is still 0

  json state() const;                   // for tests (lab.ui.state().controller)
  void say(const std::string& text) { live(text); }  // into the screen reader's live region
  std::string status_sentence() const;  // "Training: step 1200, epoch 48, test accuracy 96.4%."

 private:
  void submit_chunk(long long steps, bool until);
  void refresh();  // a new snapshot job for the current experiment (after edits)
  void on_job_done();
  void sync_from_lab();  // the experiment changed outside the UI (JS API): adopt its spec
  void after_rebuild();
  void state_changed();  // the URL hash / autosave is due
  void emit_state();
  void live(const std::string& text);  // the screen reader's live region
  // confused: the most confused samples, scanned by a job before (null: scanned here when evaluating).
  static std::shared_ptr<Snapshot> compute_snapshot(Experiment& e, bool evaluate, int selected, int page_first,
                                                    std::shared_ptr<const Snapshot> prev, const Confusions* confused = nullptr);
  static void set_confused(Snapshot& s, const Confusions& c, const Dataset& d);
  // The most confused samples as a sliced job (after the evaluation it follows); null for 2-D data.
  std::shared_ptr<ConfusedScan> scan_confused(const std::shared_ptr<Experiment>& e);
  bool load_spec(const json& s);

  Lab& lab_;
  json registries_;
  json spec_;
  std::shared_ptr<const Snapshot> view_;
  std::shared_ptr<Experiment> exp_seen_;  // the experiment the view belongs to
  std::shared_ptr<Job> job_;
  std::string job_kind_;  // "train", "snapshot", "replay", "neuron"
  std::shared_ptr<Snapshot> job_snapshot_;
  std::shared_ptr<NeuronReport> job_neuron_;
  NeuronReport neuron_;
  bool refresh_pending_ = false;
  bool playing_ = false;
  int step_target_ = -1;     // a step request: 1 one batch, 2 to the end of the epoch
  double frame_dt_ = 16.7;   // smoothed time between frames
  bool calibrated_ = false;  // chunk_ms_per_step_ measured on this network
  long long last_chunk_steps_ = 1;
  double chunk_ms_per_step_ = 0.05, job_started_ms_ = 0, now_ms_ = 0, last_eval_ms_ = -1e9, last_live_ms_ = -1e9;
  bool autosave_due_ = false;
  int selected_ = 0, page_first_ = 0;
  std::string error_, notice_, doctor_, stop_msg_, progress_what_;
  float doctor_lr_ = 0;
  bool doctor_is_warning_ = false, warning_dismissed_ = false;
  double speed_ = kDefaultSpeed, speed_budget_ = 0;
  void watch_warning(const Metrics& m);
  std::deque<Request> requests_;
  std::string last_live_text_;
  // Work that waits for the job in flight to end.
  json pending_spec_;
  bool has_pending_spec_ = false, pending_reset_ = false;
  std::vector<json> pending_hyper_;
  struct PendingWeight {
    int layer;
    std::string param;
    long long index;
    float value;
  };
  std::vector<PendingWeight> pending_weights_;
  std::string pending_replay_, pending_replay_what_, replay_digest_, pending_dataset_, csv_name_;
  // The replay in flight (its history and how long it is measured to take), and one kept after a cancel.
  std::string replay_history_, kept_replay_;
  double download_progress_ = 0;  // the pending dataset's download, in [0, 1]
  long long replay_steps_ = 0;
  double replay_t1_ = -1, replay_p1_ = 0, replay_estimate_s_ = -1;
  bool replay_question_ = false, replay_answered_ = false;
  void watch_replay();
  std::function<void()> deferred_neuron_;
  long long job_steps_ = 0;
  double last_state_ms_ = -1e9;
};

}  // namespace lab::ui
