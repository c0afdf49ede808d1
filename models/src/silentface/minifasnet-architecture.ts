/**
 * MiniFASNet as minivision-ai/Silent-Face-Anti-Spoofing @b6d5f04 defines it in
 * `src/model_lib/MiniFASNet.py`, for the two models of `resources/anti_spoof_models/`: the
 * channel lists (`keep_dict`), and what `anti_spoof_predict.py` passes for an 80x80 input
 * (`conv6_kernel = get_kernel(80, 80) = (5, 5)`, embedding 128, 3 classes). The `.pth` files
 * hold only tensors; `readMiniFasNetWeights` checks every name and shape against
 * {@link miniFasNetLayout}.
 *
 * @example
 * ```ts
 * MINIFASNET_ARCHITECTURE.variants.MiniFASNetV1SE; // { keep: "1.8M", se: true }
 * ```
 */
export const MINIFASNET_ARCHITECTURE = {
  /** Square input side; BGR channels, raw 0..255 (upstream `to_tensor` does not scale). */
  inputSize: 80,
  inputChannels: 3,
  /** `get_kernel(80, 80)`: `((80 + 15) // 16, (80 + 15) // 16)`. */
  conv6Kernel: 5,
  embeddingSize: 128,
  numClasses: 3,
  /** `ResidualSE`'s default `se_reduct`, which `MiniFASNetSE` does not override. */
  seReduction: 4,
  /** PyTorch's `BatchNorm1d` / `BatchNorm2d` default, which the file does not override. */
  batchNormEpsilon: 1e-5,
  keep: {
    "1.8M": [
      32, 32, 103, 103, 64, 13, 13, 64, 26, 26, 64, 13, 13, 64, 52, 52, 64, 231, 231, 128, 154, 154,
      128, 52, 52, 128, 26, 26, 128, 52, 52, 128, 26, 26, 128, 26, 26, 128, 308, 308, 128, 26, 26,
      128, 26, 26, 128, 512, 512,
    ],
    "1.8M_": [
      32, 32, 103, 103, 64, 13, 13, 64, 13, 13, 64, 13, 13, 64, 13, 13, 64, 231, 231, 128, 231, 231,
      128, 52, 52, 128, 26, 26, 128, 77, 77, 128, 26, 26, 128, 26, 26, 128, 308, 308, 128, 26, 26,
      128, 26, 26, 128, 512, 512,
    ],
  },
  /** Upstream's factory functions: `MiniFASNetV2` builds `MiniFASNet`, `…SE` `MiniFASNetSE`. */
  variants: {
    MiniFASNetV2: { keep: "1.8M_", se: false },
    MiniFASNetV1SE: { keep: "1.8M", se: true },
  },
} as const;

/** Which of the two Silent-Face models. */
export type MiniFasNetVariant = keyof typeof MINIFASNET_ARCHITECTURE.variants;

/**
 * `Conv_block` (conv, BatchNorm2d, PReLU) or, with `prelu: false`, `Linear_block` (conv,
 * BatchNorm2d). The conv has no bias. `name` is the module path, e.g. `conv_3.model.0.conv`.
 */
export interface MiniFasNetConv {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly groups: number;
  readonly prelu: boolean;
}

/** `SEModule`: average pool, 1x1 conv, BN, ReLU, 1x1 conv, BN, sigmoid, times its input. */
export interface MiniFasNetSe {
  readonly name: string;
  readonly channels: number;
  readonly reduced: number;
}

/** `Depth_Wise` / `Depth_Wise_SE`: 1x1 expand, depthwise 3x3, 1x1 project (+ SE, + input). */
export interface MiniFasNetDepthWise {
  readonly name: string;
  readonly conv: MiniFasNetConv;
  readonly convDw: MiniFasNetConv;
  readonly project: MiniFasNetConv;
  readonly residual: boolean;
  /** Only on the last block of each `ResidualSE`; it is applied only when `residual`. */
  readonly se?: MiniFasNetSe;
}

/** The whole network in forward order, with every module path and size. */
export interface MiniFasNetLayout {
  readonly stem: readonly MiniFasNetConv[];
  readonly blocks: readonly MiniFasNetDepthWise[];
  readonly convSep: MiniFasNetConv;
  readonly convDw: MiniFasNetConv;
  /** `Linear(512, embedding_size, bias=False)`, then `BatchNorm1d` named `bn`. */
  readonly linear: { readonly name: "linear"; readonly inputs: number; readonly outputs: number };
  readonly bn: { readonly name: "bn"; readonly channels: number };
  /** `Linear(embedding_size, num_classes, bias=False)`: the logits. */
  readonly prob: { readonly name: "prob"; readonly inputs: number; readonly outputs: number };
}

function convBlock(
  name: string,
  inputs: number,
  outputs: number,
  options: { kernel: number; stride: number; padding: number; groups?: number; prelu?: boolean },
): MiniFasNetConv {
  const { kernel, stride, padding, groups = 1, prelu = true } = options;
  return { name, inputs, outputs, kernel, stride, padding, groups, prelu };
}

/**
 * The network of `MiniFASNet` / `MiniFASNetSE.__init__` for one variant, indexing `keep` as
 * the Python does: a `Depth_Wise` block starting at `keep[i]` has c1 = (keep[i], keep[i+1]),
 * c2 = (keep[i+1], keep[i+2]), c3 = (keep[i+2], keep[i+3]).
 *
 * @example
 * ```ts
 * miniFasNetLayout("MiniFASNetV2").blocks[0]?.convDw.groups; // 103
 * ```
 */
export function miniFasNetLayout(variant: MiniFasNetVariant): MiniFasNetLayout {
  const {
    keep: keeps,
    variants,
    inputChannels,
    conv6Kernel,
    embeddingSize,
    numClasses,
  } = MINIFASNET_ARCHITECTURE;
  const { keep: keepName, se } = variants[variant];
  const keep = (i: number): number => {
    const value = keeps[keepName][i];
    if (value === undefined) throw new RangeError(`keep[${i}] does not exist`);
    return value;
  };

  const depthWise = (
    name: string,
    at: number,
    stride: number,
    residual: boolean,
    withSe: boolean,
  ): MiniFasNetDepthWise => {
    const [c1In, c1Out, c2In, c2Out, c3In, c3Out] = [
      keep(at),
      keep(at + 1),
      keep(at + 1),
      keep(at + 2),
      keep(at + 2),
      keep(at + 3),
    ];
    const block = {
      name,
      conv: convBlock(`${name}.conv`, c1In, c1Out, { kernel: 1, stride: 1, padding: 0 }),
      convDw: convBlock(`${name}.conv_dw`, c2In, c2Out, {
        kernel: 3,
        stride,
        padding: 1,
        groups: c2In,
      }),
      project: convBlock(`${name}.project`, c3In, c3Out, {
        kernel: 1,
        stride: 1,
        padding: 0,
        prelu: false,
      }),
      residual,
    };
    if (!withSe) return block;
    const reduced = Math.floor(c3Out / MINIFASNET_ARCHITECTURE.seReduction);
    return { ...block, se: { name: `${name}.se_module`, channels: c3Out, reduced } };
  };

  // `Residual` / `ResidualSE`: blocks at keep[start + 3i], stride 1, each with its shortcut;
  // in the SE network the last one is `Depth_Wise_SE`.
  const residual = (name: string, start: number, count: number): MiniFasNetDepthWise[] =>
    Array.from({ length: count }, (_, i) =>
      depthWise(`${name}.model.${i}`, start + 3 * i, 1, true, se && i === count - 1),
    );

  return {
    stem: [
      convBlock("conv1", inputChannels, keep(0), { kernel: 3, stride: 2, padding: 1 }),
      convBlock("conv2_dw", keep(0), keep(1), {
        kernel: 3,
        stride: 1,
        padding: 1,
        groups: keep(1),
      }),
    ],
    blocks: [
      depthWise("conv_23", 1, 2, false, false),
      ...residual("conv_3", 4, 4),
      depthWise("conv_34", 16, 2, false, false),
      ...residual("conv_4", 19, 6),
      depthWise("conv_45", 37, 2, false, false),
      ...residual("conv_5", 40, 2),
    ],
    convSep: convBlock("conv_6_sep", keep(46), keep(47), { kernel: 1, stride: 1, padding: 0 }),
    convDw: convBlock("conv_6_dw", keep(47), keep(48), {
      kernel: conv6Kernel,
      stride: 1,
      padding: 0,
      groups: keep(48),
      prelu: false,
    }),
    linear: { name: "linear", inputs: 512, outputs: embeddingSize },
    bn: { name: "bn", channels: embeddingSize },
    prob: { name: "prob", inputs: embeddingSize, outputs: numClasses },
  };
}
