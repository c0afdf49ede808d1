/**
 * One tensor of a PyTorch `state_dict`, copied out of its storage into a dense row-major
 * array (whatever strides it was saved with). `float32` for `torch.FloatStorage`, `int64` for
 * `torch.LongStorage` (e.g. BatchNorm's `num_batches_tracked`).
 *
 * @example
 * ```ts
 * const tensor = stateDict.get("conv1.conv.weight");
 * if (tensor?.dtype === "float32") tensor.shape; // [32, 3, 3, 3]
 * ```
 */
export type TorchTensor =
  | {
      readonly dtype: "float32";
      readonly shape: readonly number[];
      readonly data: Float32Array;
    }
  | {
      readonly dtype: "int64";
      readonly shape: readonly number[];
      readonly data: BigInt64Array;
    };

/**
 * A PyTorch `state_dict`: parameter and buffer names (as saved, e.g. with DataParallel's
 * `module.` prefix) to tensors, in the order the file lists them.
 *
 * @example
 * ```ts
 * const stateDict: TorchStateDict = readLegacyTorchStateDict(bytes);
 * [...stateDict.keys()][0]; // "module.conv1.conv.weight"
 * ```
 */
export type TorchStateDict = ReadonlyMap<string, TorchTensor>;
