// NeuronLab core — export a trained experiment as one runnable PyTorch script, weights included.
//
// A class result continues in a notebook: the script rebuilds the same network as a torch.nn.Sequential,
// loads the trained weights (embedded as base64 of little-endian float32), and defines the same loss,
// optimizer, learning-rate schedule, batch size and L1/L2 penalty, so training can go on in PyTorch.
//
//   lab::Experiment e(lab::parse_spec(text));
//   e.train(500, exec, nullptr);
//   std::string py = lab::export_pytorch_script(e);   // write it to model.py
//
//   $ python3 model.py        →  "NeuronLab export check: OK (max |diff| = 2.4e-07)", exit 0
//                                (or the mismatching outputs, exit 1)
//   >>> import model as nl     # in a notebook, next to model.py
//   >>> x, y, tx, ty = nl.load_data();  nl.train_more(x, y, 200);  nl.predict(tx)
//
// What the script defines (its docstring says the same to the student):
//   model                      torch.nn.Sequential in eval mode; model[i] is NeuronLab layer i (Model::layer,
//                              activation layers counted), so indices match the lab's neuron views
//   featurize(points)          2-D datasets: raw points (n, 2) → the network inputs (the spec's
//                              data.features, in order); other datasets: rows (n, input size) → (n, C, H, W)…
//   predict(x)                 outputs (n, outputs) for network inputs, no gradient, eval mode
//   loss_fn, optimizer, lr_at  the spec's loss, torch.optim optimizer (fresh state: NeuronLab's moments are
//                              not exported) and schedule, continuing from the exported step
//   train_more(x, y, steps)    mini-batch steps like NeuronLab's (epoch shuffles, L1/L2 on weights only);
//                              returns the data loss of every step
//   load_data()                the experiment's train and test sets, embedded when they hold at most
//                              kEmbedDataMaxValues input values (2-D sets, digits), else a readable error
//   check()                    rebuilds the network from the embedded weights and compares it with the
//                              outputs NeuronLab gave for a few test samples (kCheckSamples); run as a
//                              script it prints the result and exits 1 on a mismatch
// Only torch and numpy are imported (Debian's python3-torch brings both).
//
// Layers map to: dense → nn.Linear (weights already in PyTorch's (out, in) layout), conv2d → nn.Conv2d
// ((F, C, KH, KW)), maxpool2d / avgpool2d → nn.MaxPool2d / nn.AvgPool2d (no padding, floor), flatten →
// nn.Flatten, dropout → nn.Dropout, activation → the matching nn module (leaky_relu slope 0.01, elu
// alpha 1, exact erf gelu, softplus beta 1 threshold 20, softmax over each sample's features).
#pragma once
#include <string>

#include "experiment/experiment.h"

namespace lab {

// Input values (features or pixels, train + test) up to which the script embeds the dataset itself.
inline constexpr long long kEmbedDataMaxValues = 262144;
// Test samples whose NeuronLab outputs the script embeds for check().
inline constexpr int kCheckSamples = 8;

// The text of one self-contained Python 3 file (UTF-8) that rebuilds `e` in PyTorch, as described above.
// Takes a consistent snapshot: e's mutex is taken only inside e's own calls and a short read of the model;
// if e trains while it is exported, the export is retried, and after a few tries it throws
// std::runtime_error ("pause training and export again"). Throws std::invalid_argument naming the layer,
// activation, feature, loss, optimizer or schedule that has no PyTorch equivalent in this exporter.
std::string export_pytorch_script(Experiment& e);

}  // namespace lab
