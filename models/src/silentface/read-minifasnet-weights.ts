import { LumenError } from "@lumen/protocol";
import type { TorchStateDict } from "../torch/torch-tensor.ts";
import {
  miniFasNetLayout,
  type MiniFasNetConv,
  type MiniFasNetLayout,
  type MiniFasNetVariant,
} from "./minifasnet-architecture.ts";

/** Every float tensor of one MiniFASNet, by module path without `module.`, checked. */
export interface MiniFasNetWeights {
  readonly variant: MiniFasNetVariant;
  readonly layout: MiniFasNetLayout;
  /** E.g. `conv1.conv.weight` `[32,3,3,3]` (PyTorch layout: OIHW, Linear `[out, in]`). */
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

// DataParallel saves every key with this prefix; upstream strips it before load_state_dict.
const DATA_PARALLEL_PREFIX = "module.";

function invalid(variant: MiniFasNetVariant, message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not ${variant} weights: ${message}`);
}

function batchNorm(name: string, channels: number): [string, number[]][] {
  return [
    [`${name}.weight`, [channels]],
    [`${name}.bias`, [channels]],
    [`${name}.running_mean`, [channels]],
    [`${name}.running_var`, [channels]],
  ];
}

function convParameters(conv: MiniFasNetConv): [string, number[]][] {
  const { name, inputs, outputs, kernel, groups, prelu } = conv;
  return [
    [`${name}.conv.weight`, [outputs, inputs / groups, kernel, kernel]],
    ...batchNorm(`${name}.bn`, outputs),
    ...(prelu ? [[`${name}.prelu.weight`, [outputs]] as [string, number[]]] : []),
  ];
}

/**
 * The float parameters and buffers `load_state_dict` expects for a layout, with their shapes,
 * in module order. (Each BatchNorm also has an int64 `num_batches_tracked`, unused at
 * inference.)
 *
 * @example
 * ```ts
 * miniFasNetParameters(miniFasNetLayout("MiniFASNetV2"))[0]; // ["conv1.conv.weight", [32, 3, 3, 3]]
 * ```
 */
export function miniFasNetParameters(layout: MiniFasNetLayout): [string, number[]][] {
  const { stem, blocks, convSep, convDw, linear, bn, prob } = layout;
  return [
    ...stem.flatMap(convParameters),
    ...blocks.flatMap((block) => [
      ...convParameters(block.conv),
      ...convParameters(block.convDw),
      ...convParameters(block.project),
      ...(block.se
        ? ([
            [`${block.se.name}.fc1.weight`, [block.se.reduced, block.se.channels, 1, 1]],
            ...batchNorm(`${block.se.name}.bn1`, block.se.reduced),
            [`${block.se.name}.fc2.weight`, [block.se.channels, block.se.reduced, 1, 1]],
            ...batchNorm(`${block.se.name}.bn2`, block.se.channels),
          ] as [string, number[]][])
        : []),
    ]),
    ...convParameters(convSep),
    ...convParameters(convDw),
    [`${linear.name}.weight`, [linear.outputs, linear.inputs]],
    ...batchNorm(bn.name, bn.channels),
    [`${prob.name}.weight`, [prob.outputs, prob.inputs]],
  ];
}

/**
 * Picks one MiniFASNet's weights out of a state_dict as upstream `_load_model` loads it: the
 * DataParallel `module.` prefix dropped, then every name and shape checked against the
 * variant's layout (as `load_state_dict(strict=True)` would), so the other variant's file, a
 * truncated one or another network is refused instead of converted into a wrong model.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the first missing, unexpected or
 *   misshapen tensor.
 * @example
 * ```ts
 * const weights = readMiniFasNetWeights(readLegacyTorchStateDict(pth), "MiniFASNetV2");
 * weights.tensors.get("prob.weight")?.length; // 384
 * ```
 */
export function readMiniFasNetWeights(
  stateDict: TorchStateDict,
  variant: MiniFasNetVariant,
): MiniFasNetWeights {
  const names = [...stateDict.keys()];
  const prefixed = names.filter((name) => name.startsWith(DATA_PARALLEL_PREFIX)).length;
  if (prefixed !== 0 && prefixed !== names.length) {
    throw invalid(variant, `only ${prefixed} of ${names.length} names start with "module."`);
  }
  const strip = prefixed === 0 ? 0 : DATA_PARALLEL_PREFIX.length;
  const byName = new Map([...stateDict].map(([name, tensor]) => [name.slice(strip), tensor]));

  const layout = miniFasNetLayout(variant);
  const expected = new Map(miniFasNetParameters(layout));
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of expected) {
    const tensor = byName.get(name);
    if (!tensor) throw invalid(variant, `the state_dict has no ${name}`);
    if (tensor.dtype !== "float32") throw invalid(variant, `${name} is ${tensor.dtype}`);
    if (tensor.shape.join(",") !== shape.join(",")) {
      throw invalid(
        variant,
        `${name} has shape [${tensor.shape.join(",")}], expected [${shape.join(",")}]`,
      );
    }
    tensors.set(name, tensor.data);
  }
  for (const [name, tensor] of byName) {
    if (expected.has(name)) continue;
    const counter = name.endsWith(".num_batches_tracked") && tensor.dtype === "int64";
    if (!counter || !expected.has(name.replace(/num_batches_tracked$/, "running_var"))) {
      throw invalid(variant, `unexpected tensor ${name}`);
    }
  }
  return { variant, layout, tensors };
}
