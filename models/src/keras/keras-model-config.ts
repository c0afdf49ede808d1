import { LumenError } from "@lumen/protocol";

/** One layer of a Keras `model_config`: its class, name and config, as Keras serialised them. */
export interface KerasLayerConfig {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Unsupported Keras model_config: ${message}`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

// A functional model's inbound_nodes: [[[layer_name, node_index, tensor_index, kwargs], ...]].
function inboundNames(layer: Record<string, unknown>, name: string): string[] {
  const nodes = layer.inbound_nodes ?? [];
  if (!Array.isArray(nodes) || nodes.length > 1) {
    throw invalid(`layer ${name} is called ${Array.isArray(nodes) ? nodes.length : "?"} times`);
  }
  const [node = []] = nodes as unknown[][];
  if (!Array.isArray(node)) throw invalid(`layer ${name} has malformed inbound_nodes`);
  return node.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string") {
      throw invalid(`layer ${name} has malformed inbound_nodes`);
    }
    return entry[0];
  });
}

/**
 * The layers of a Keras 2 `model_config` (the JSON `model.save()` writes into the HDF5 file) as
 * a plain chain, checked to be one: a functional `Model` whose every layer reads the one before
 * it and is called once, from a single input to a single output. Branching
 * models are refused, since their converters must know how the branches join.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the first layer that breaks the chain.
 * @example
 * ```ts
 * const layers = kerasLayerChain(readKerasWeights(h5).modelConfig);
 * layers[1]?.className; // "Conv2D"
 * ```
 */
export function kerasLayerChain(modelConfig: unknown): KerasLayerConfig[] {
  if (modelConfig === undefined) {
    throw invalid("the file holds no model_config (written by save_weights, not save)");
  }
  const model = record(modelConfig, "model_config");
  if (model.class_name !== "Model") {
    throw invalid(`class ${JSON.stringify(model.class_name)}, expected a functional Model`);
  }
  const rawLayers = record(model.config, "config").layers;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw invalid("no layers");
  return rawLayers.map((raw, i): KerasLayerConfig => {
    const layer = record(raw, `layer ${i}`);
    const layerConfig = record(layer.config, `layer ${i} config`);
    const name = layerConfig.name;
    if (typeof layer.class_name !== "string" || typeof name !== "string") {
      throw invalid(`layer ${i} has no class_name or name`);
    }
    const inbound = inboundNames(layer, name);
    const previous = (rawLayers[i - 1] as { config?: { name?: unknown } } | undefined)?.config
      ?.name;
    const expected = i === 0 ? [] : [String(previous)];
    if (inbound.join("\n") !== expected.join("\n")) {
      throw invalid(
        `layer ${name} reads [${inbound.join(", ")}], expected [${expected.join(", ")}]: ` +
          "only chains of layers are supported",
      );
    }
    return { className: layer.class_name, name, config: layerConfig };
  });
}
