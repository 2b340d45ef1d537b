// The layer registry: every layer type with its parameter schema, and spec validation.
#include <cmath>
#include <stdexcept>

#include "nn/activations.h"
#include "nn/init.h"
#include "nn/layer_factories.h"

namespace lab {

namespace {
ParamSpec activation_param() {
  return with_default_choice(choice("activation", activation_registry().names(), "the activation applied to the output"), "linear");
}
ParamSpec init_param() {
  return with_default_choice(choice("init", initializer_names(), "how the weights start (default: the model's init)"), "glorot_uniform");
}
ParamSpec pool_size() { return integer("size", 2, 1, 8, "window size"); }
ParamSpec pool_stride() { return integer("stride", 2, 1, 8, "step (default: the window size)"); }
}  // namespace

const Registry<LayerInfo>& layer_registry() {
  static const Registry<LayerInfo> reg(
      "layer type", {
                        {.name = "dense",
                         .title = "Dense",
                         .description = "Fully connected: every output neuron sees every input.",
                         .params = {required(integer("units", 8, 1, 65536, "output neurons")),
                                    boolean("bias", true, "learn a bias per neuron"), activation_param(), init_param()},
                         .make = layers::make_dense,
                         .pytorch = "nn.Linear({in0}, {out0}, bias={bias})",
                         .view = "dense",
                         .lrp = LrpKind::Weighted,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "conv2d",
                         .title = "Conv2D",
                         .description = "2-D convolution: filters slid over the image.",
                         .params = {required(integer("filters", 8, 1, 1024, "output channels")),
                                    integer("kernel", 3, 1, 15, "kernel size (square)"), integer("stride", 1, 1, 8, "step between windows"),
                                    integer("padding", 0, 0, 7, "zeros added on each side"), activation_param(), init_param()},
                         .make = layers::make_conv2d,
                         .pytorch = "nn.Conv2d({in0}, {filters}, kernel_size={kernel}, stride={stride}, padding={padding})",
                         .view = "conv",
                         .lrp = LrpKind::Weighted,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "maxpool2d",
                         .title = "Max pool",
                         .description = "Keeps the largest value of each window.",
                         .params = {pool_size(), pool_stride()},
                         .make = layers::make_maxpool2d,
                         .pytorch = "nn.MaxPool2d(kernel_size={size}, stride={stride}, padding=0, ceil_mode=False)",
                         .view = "pool",
                         .lrp = LrpKind::Epsilon,
                         .deeplift = DeepLiftKind::MaxPool},
                        {.name = "avgpool2d",
                         .title = "Average pool",
                         .description = "Averages each window.",
                         .params = {pool_size(), pool_stride()},
                         .make = layers::make_avgpool2d,
                         .pytorch = "nn.AvgPool2d(kernel_size={size}, stride={stride}, padding=0, ceil_mode=False)",
                         .view = "pool",
                         .lrp = LrpKind::Epsilon,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "flatten",
                         .title = "Flatten",
                         .description = "Turns an image into a flat vector of features.",
                         .params = {},
                         .make = layers::make_flatten,
                         .pytorch = "nn.Flatten()",
                         .view = "reshape",
                         .lrp = LrpKind::Reshape,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "dropout",
                         .title = "Dropout",
                         .description = "Randomly silences neurons while training (inverted dropout).",
                         .params = {number("rate", 0.5, 0, 0.95, "probability of dropping")},
                         .make = layers::make_dropout,
                         .pytorch = "nn.Dropout(p={rate})",
                         .view = "pointwise",
                         .lrp = LrpKind::Reshape,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "batchnorm",
                         .title = "Batch norm",
                         .description = "Normalises each feature (or channel) over the batch, then scales and shifts it; running "
                                        "statistics are used at evaluation.",
                         .params = {number("momentum", 0.1, 0, 1, "weight of the newest batch in the running statistics"),
                                    number("eps", 1e-5, 1e-12, 1, "ε added to the variance")},
                         .make = layers::make_batchnorm,
                         .pytorch = "nn.BatchNorm{spatial}d({in0}, eps={eps}, momentum={momentum})",
                         .view = "pointwise",
                         .lrp = LrpKind::Epsilon,
                         .deeplift = DeepLiftKind::Linear},
                        {.name = "layernorm",
                         .title = "Layer norm",
                         .description = "Normalises each sample over all of its features, then scales and shifts each feature.",
                         .params = {number("eps", 1e-5, 1e-12, 1, "ε added to the variance")},
                         .make = layers::make_layernorm,
                         .pytorch = "nn.LayerNorm({in_shape}, eps={eps})",
                         .view = "pointwise"},
                        {.name = "activation",
                         .title = "Activation",
                         .description = "An activation function applied to every element.",
                         .params = {activation_param()},
                         .make = layers::make_activation,
                         .pytorch = "{activation}",
                         .view = "pointwise",
                         .lrp = LrpKind::Pass,
                         .deeplift = DeepLiftKind::Rescale},
                    });
  return reg;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec) {
  const LayerInfo& info = layer_registry().at(spec.type);
  nlohmann::json obj = nlohmann::json::object();
  for (const auto& [k, v] : spec.num) obj[k] = v;
  for (const auto& [k, v] : spec.str) obj[k] = v;
  parse_values(info.params, obj, "layer '" + spec.type + "'");  // throws naming the parameter
  return info.make(spec);
}

}  // namespace lab
