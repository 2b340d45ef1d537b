// NeuronLab core — models in and out: the spec plus every parameter, as JSON or as a compact binary.
//
// JSON:   {"format": "neuronlab-model", "version": 1, "spec": {...}, "digest": "…",
//          "params": [{"name": "layer0.weight", "shape": [8, 2], "data": [...]}, ...]}
// Binary: "NLMODEL1" · u32 version · u32 spec bytes · spec JSON · u32 tensors ·
//         per tensor: u32 rank · u32 dims[rank] · f32 data[Π dims] · then a u64 FNV-1a checksum of all
//         preceding bytes. Little-endian.
// import_model() parses and checks everything (format, truncation, checksum, spec, shapes, finite
// values) before it builds anything, and throws std::invalid_argument with what is wrong: a bad file
// never replaces the model in use.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "experiment/experiment.h"

namespace lab {

std::string export_model_json(Experiment& e);
std::vector<uint8_t> export_model_binary(Experiment& e);
// Detects the format (JSON starts with '{', binary with "NLMODEL1"). assets: the data files the spec's
// dataset may need (dataset.h), borrowed during the call.
std::unique_ptr<Experiment> import_model(const uint8_t* bytes, size_t n, const DatasetAssets* assets = nullptr);

}  // namespace lab
