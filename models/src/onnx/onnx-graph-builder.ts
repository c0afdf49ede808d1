import type {
  OnnxAttribute,
  OnnxDataType,
  OnnxDim,
  OnnxGraph,
  OnnxNode,
  OnnxTensor,
  OnnxValueInfo,
} from "./onnx-model.ts";

/** Options of {@link OnnxGraphBuilder.addNode}. */
export interface OnnxNodeOptions {
  /** Node name; defaults to the op type in snake case with a counter, e.g. `max_pool_3`. */
  readonly name?: string;
  /** Names of the outputs; default one output named like the node. */
  readonly outputs?: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
  /** Operator domain; default the standard `ai.onnx`. */
  readonly domain?: string;
}

function snakeCase(opType: string): string {
  return opType.replace(/(?<=[a-z0-9])(?=[A-Z])/g, "_").toLowerCase();
}

/**
 * Assembles an ONNX graph node by node and checks it as it grows: every value name is defined
 * once, and every node reads only values defined before it (graph inputs, initializers or
 * earlier outputs), so the node list is in the topological order ONNX requires. Mistakes in a
 * converter fail here, naming the value, rather than as an opaque runtime load error.
 *
 * @example
 * ```ts
 * const graph = new OnnxGraphBuilder("tiny");
 * const x = graph.addInput("input", "float32", ["N", 4]);
 * const w = graph.addInitializer({ name: "w", dataType: "float32", dims: [4, 2], data });
 * const y = graph.addNode("MatMul", [x, w]);
 * graph.addOutput(graph.addNode("Relu", [y], { outputs: ["output"] }), "float32", ["N", 2]);
 * const model = encodeOnnxModel({ irVersion: 8, opsetVersion: 17, graph: graph.build(), ... });
 * ```
 */
export class OnnxGraphBuilder {
  readonly #name: string;
  readonly #nodes: OnnxNode[] = [];
  readonly #initializers: OnnxTensor[] = [];
  readonly #inputs: OnnxValueInfo[] = [];
  readonly #outputs: OnnxValueInfo[] = [];
  readonly #defined = new Set<string>();
  readonly #nodeNames = new Set<string>();
  readonly #opCounts = new Map<string, number>();

  constructor(name: string) {
    this.#name = name;
  }

  #define(name: string): void {
    if (name === "") throw new TypeError("A value name must not be empty");
    if (this.#defined.has(name)) throw new TypeError(`Value "${name}" is defined twice`);
    this.#defined.add(name);
  }

  /** Declares a graph input; returns its name for use as a node input. */
  addInput(name: string, dataType: OnnxDataType, shape: readonly OnnxDim[]): string {
    this.#define(name);
    this.#inputs.push({ name, dataType, shape: [...shape] });
    return name;
  }

  /** Adds a constant (weights, shapes); returns its name for use as a node input. */
  addInitializer(tensor: OnnxTensor): string {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    if (tensor.data.length !== count) {
      throw new RangeError(
        `Initializer "${tensor.name}" has ${tensor.data.length} elements for dims [${tensor.dims.join(",")}]`,
      );
    }
    this.#define(tensor.name);
    this.#initializers.push(tensor);
    return tensor.name;
  }

  /** Adds a single-output node; returns the name of its output. */
  addNode(opType: string, inputs: readonly string[], options: OnnxNodeOptions = {}): string {
    const outputs = this.addMultiOutputNode(opType, inputs, options);
    if (outputs.length !== 1) {
      throw new TypeError(`${opType} given ${outputs.length} outputs: use addMultiOutputNode`);
    }
    return outputs[0] as string;
  }

  /** Adds a node with any number of outputs; returns their names. */
  addMultiOutputNode(
    opType: string,
    inputs: readonly string[],
    options: OnnxNodeOptions = {},
  ): readonly string[] {
    const count = (this.#opCounts.get(opType) ?? 0) + 1;
    this.#opCounts.set(opType, count);
    const name = options.name ?? `${snakeCase(opType)}_${count}`;
    if (this.#nodeNames.has(name)) throw new TypeError(`Node "${name}" is defined twice`);
    for (const input of inputs) {
      if (input !== "" && !this.#defined.has(input)) {
        throw new TypeError(
          `Node "${name}" (${opType}) reads "${input}", which is not defined yet`,
        );
      }
    }
    const outputs = [...(options.outputs ?? [name])];
    for (const output of outputs) this.#define(output);
    this.#nodeNames.add(name);
    this.#nodes.push({
      opType,
      name,
      inputs: [...inputs],
      outputs,
      attributes: { ...options.attributes },
      ...(options.domain ? { domain: options.domain } : {}),
    });
    return outputs;
  }

  /** Marks a defined value as a graph output with its type and shape. */
  addOutput(name: string, dataType: OnnxDataType, shape: readonly OnnxDim[]): void {
    if (!this.#defined.has(name)) throw new TypeError(`Output "${name}" is not defined`);
    this.#outputs.push({ name, dataType, shape: [...shape] });
  }

  /** The graph so far, as plain data for `encodeOnnxModel`. */
  build(): OnnxGraph {
    if (this.#outputs.length === 0) throw new TypeError(`Graph "${this.#name}" has no output`);
    return {
      name: this.#name,
      nodes: [...this.#nodes],
      initializers: [...this.#initializers],
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
    };
  }
}
