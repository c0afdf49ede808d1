import { convKernelToOihw, denseRowsToChw, kerasSamePads } from "../keras/keras-onnx-layout.ts";
import type { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import type { MesoBatchNorm, MesoConv, MesoDense } from "./meso-layer-weights.ts";

/**
 * Writes the layers the MesoNet family (Meso4, MesoInception4) is made of into an ONNX graph,
 * under stable node and initializer names, so both converters share one mapping of each
 * Keras layer. Feature maps are NCHW; `size` is the square side of the map a layer reads.
 *
 * @example
 * ```ts
 * const layers = new MesoOnnxLayers(graph);
 * let x = layers.convRelu("conv1", input, weights.conv, 256);
 * ```
 */
export class MesoOnnxLayers {
  readonly #graph: OnnxGraphBuilder;

  constructor(graph: OnnxGraphBuilder) {
    this.#graph = graph;
  }

  #weight(name: string, dims: readonly number[], data: Float32Array): string {
    return this.#graph.addInitializer({ name, dataType: "float32", dims, data });
  }

  /**
   * `Conv2D(padding="same", activation="relu")`: a Conv named `name` and a Relu named by
   * `reluName`. `dilation` 1 writes no `dilations` attribute (ONNX's default).
   */
  convRelu(
    name: string,
    reluName: string,
    x: string,
    conv: MesoConv,
    size: number,
    dilation = 1,
  ): string {
    const [kernel, , inputs, filters] = conv.kernelShape;
    const y = this.#graph.addNode(
      "Conv",
      [
        x,
        this.#weight(
          `${name}.weight`,
          [filters, inputs, kernel, kernel],
          convKernelToOihw(conv.kernel, conv.kernelShape),
        ),
        this.#weight(`${name}.bias`, [filters], conv.bias),
      ],
      {
        name,
        attributes: {
          kernel_shape: { type: "ints", value: [kernel, kernel] },
          pads: { type: "ints", value: kerasSamePads(size, kernel, 1, dilation) },
          strides: { type: "ints", value: [1, 1] },
          ...(dilation === 1 ? {} : { dilations: { type: "ints", value: [dilation, dilation] } }),
        },
      },
    );
    return this.#graph.addNode("Relu", [y], { name: reluName });
  }

  /**
   * `BatchNormalization()` as a node: in MesoNet it follows a ReLU (or a concatenation of
   * them), so it cannot be folded into a convolution.
   */
  batchNorm(name: string, x: string, bn: MesoBatchNorm, epsilon: number): string {
    const channels = bn.gamma.length;
    return this.#graph.addNode(
      "BatchNormalization",
      [
        x,
        this.#weight(`${name}.scale`, [channels], bn.gamma),
        this.#weight(`${name}.bias`, [channels], bn.beta),
        this.#weight(`${name}.mean`, [channels], bn.movingMean),
        this.#weight(`${name}.var`, [channels], bn.movingVariance),
      ],
      { name, attributes: { epsilon: { type: "float", value: epsilon } } },
    );
  }

  /** `MaxPooling2D(pool_size=pool, padding="same")`, stride `pool`. */
  maxPool(name: string, x: string, pool: number, size: number): string {
    return this.#graph.addNode("MaxPool", [x], {
      name,
      attributes: {
        kernel_shape: { type: "ints", value: [pool, pool] },
        pads: { type: "ints", value: kerasSamePads(size, pool, pool) },
        strides: { type: "ints", value: [pool, pool] },
      },
    });
  }

  /**
   * The classifier both models end with: Flatten → Dense(16) → LeakyReLU(alpha) →
   * Dense(1, sigmoid), dropout left out (identity at inference), into the graph output
   * `output [N,1]`. `size` and `channels` describe the map that is flattened.
   */
  classifierHead(
    x: string,
    { hidden, classifier }: { readonly hidden: MesoDense; readonly classifier: MesoDense },
    size: number,
    channels: number,
    leakyReluAlpha: number,
  ): void {
    const graph = this.#graph;
    let y = graph.addNode("Flatten", [x], {
      name: "flatten",
      attributes: { axis: { type: "int", value: 1 } },
    });
    y = graph.addNode(
      "Gemm",
      [
        y,
        this.#weight(
          "dense1.weight",
          [hidden.inputs, hidden.units],
          denseRowsToChw(hidden.kernel, hidden.units, size, size, channels),
        ),
        this.#weight("dense1.bias", [hidden.units], hidden.bias),
      ],
      { name: "dense1" },
    );
    y = graph.addNode("LeakyRelu", [y], {
      name: "leaky_relu",
      attributes: { alpha: { type: "float", value: leakyReluAlpha } },
    });
    y = graph.addNode(
      "Gemm",
      [
        y,
        this.#weight("dense2.weight", [classifier.inputs, classifier.units], classifier.kernel),
        this.#weight("dense2.bias", [classifier.units], classifier.bias),
      ],
      { name: "dense2" },
    );
    graph.addNode("Sigmoid", [y], { name: "sigmoid", outputs: ["output"] });
    graph.addOutput("output", "float32", ["N", 1]);
  }
}
