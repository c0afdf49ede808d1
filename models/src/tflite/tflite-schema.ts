/**
 * The few TFLite schema numbers the model editor writes (`schema.fbs`): tensor types, builtin
 * operator codes and the builtin-options union tags of the operators it creates.
 *
 * @example
 * ```ts
 * const op = { builtinCode: BUILTIN_OPERATOR.TRANSPOSE, inputs: [a, perm], outputs: [b] };
 * ```
 */
export const TENSOR_TYPE = { FLOAT32: 0, FLOAT16: 1, INT32: 2 } as const;

/** Builtin operator codes used by the project's model edits. */
export const BUILTIN_OPERATOR = {
  CONCATENATION: 2,
  CONV_2D: 3,
  DEQUANTIZE: 6,
  RESHAPE: 22,
  TRANSPOSE: 39,
  SLICE: 65,
} as const;

/** Tags of the `BuiltinOptions` union for the option tables the editor writes. */
export const BUILTIN_OPTIONS = {
  Conv2DOptions: 1,
  ConcatenationOptions: 10,
  ReshapeOptions: 17,
} as const;

/** `Padding` enum of `Conv2DOptions`. */
export const PADDING = { SAME: 0, VALID: 1 } as const;
