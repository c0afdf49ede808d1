import type { FlatbufferView } from "../tflite/flatbuffer-view.ts";

type FieldKind = "byte" | "int" | "ints";
type Field = readonly [name: string, slot: number, kind: FieldKind, fallback: number];

// Field slots and defaults of the builtin options tables in TFLite's schema, for the ops the
// converter maps. Enum fields (padding, fused activation) are bytes; their default 0 is SAME /
// NONE. Dilations default to 1, which the schema states explicitly.
const POOL: readonly Field[] = [
  ["padding", 0, "byte", 0],
  ["stride_w", 1, "int", 0],
  ["stride_h", 2, "int", 0],
  ["filter_width", 3, "int", 0],
  ["filter_height", 4, "int", 0],
  ["fused_activation_function", 5, "byte", 0],
];
const ACTIVATION_ONLY: readonly Field[] = [["fused_activation_function", 0, "byte", 0]];

const FIELDS: Readonly<Record<string, readonly Field[]>> = {
  CONV_2D: [
    ["padding", 0, "byte", 0],
    ["stride_w", 1, "int", 0],
    ["stride_h", 2, "int", 0],
    ["fused_activation_function", 3, "byte", 0],
    ["dilation_w_factor", 4, "int", 1],
    ["dilation_h_factor", 5, "int", 1],
  ],
  DEPTHWISE_CONV_2D: [
    ["padding", 0, "byte", 0],
    ["stride_w", 1, "int", 0],
    ["stride_h", 2, "int", 0],
    ["depth_multiplier", 3, "int", 0],
    ["fused_activation_function", 4, "byte", 0],
    ["dilation_w_factor", 5, "int", 1],
    ["dilation_h_factor", 6, "int", 1],
  ],
  MAX_POOL_2D: POOL,
  AVERAGE_POOL_2D: POOL,
  CONCATENATION: [
    ["axis", 0, "int", 0],
    ["fused_activation_function", 1, "byte", 0],
  ],
  ADD: ACTIVATION_ONLY,
  MUL: ACTIVATION_ONLY,
  SUB: ACTIVATION_ONLY,
  RESHAPE: [["new_shape", 0, "ints", 0]],
};

/**
 * The builtin options of one operator as a record keyed by schema field name, with schema
 * defaults filled in (a missing options table means all defaults). Ops without a field table
 * get an empty record: the converter never reads options it does not know.
 *
 * @example
 * ```ts
 * readBuiltinOptions("CONV_2D", operator.builtinOptions); // { padding: 0, stride_w: 2, … }
 * ```
 */
export function readBuiltinOptions(
  opName: string,
  table: FlatbufferView | undefined,
): Record<string, number | readonly number[]> {
  const options: Record<string, number | readonly number[]> = {};
  for (const [name, slot, kind, fallback] of FIELDS[opName] ?? []) {
    switch (kind) {
      case "byte":
        options[name] = table ? table.int8(slot, fallback) : fallback;
        break;
      case "int":
        options[name] = table ? table.int32(slot, fallback) : fallback;
        break;
      case "ints":
        options[name] = table ? table.int32s(slot) : [];
        break;
    }
  }
  return options;
}
