import { Builder } from "flatbuffers";

/** What MediaPipe Tasks needs to know about an image model's input (and names of outputs). */
export interface ImageModelMetadataOptions {
  readonly name: string;
  readonly description?: string;
  /** Name of input tensor 0. */
  readonly inputName: string;
  /** Input tensor value = (pixel - mean) / std, per channel or one value for all. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** One entry per model output, in output order; only the names are recorded. */
  readonly outputNames: readonly string[];
}

// Field slots of metadata_schema.fbs (the schema's field ids) and union tags.
const MODEL_METADATA = { name: 0, description: 1, subgraphMetadata: 3, minParserVersion: 7 };
const SUBGRAPH_METADATA = { inputTensorMetadata: 2, outputTensorMetadata: 3 };
const TENSOR_METADATA = { name: 0, content: 3, processUnits: 4 };
const CONTENT = { propertiesType: 0, properties: 1 };
const CONTENT_PROPERTIES_IMAGE = 2;
const COLOR_SPACE_RGB = 1;
const PROCESS_UNIT = { optionsType: 0, options: 1 };
const PROCESS_UNIT_NORMALIZATION = 1;
// The oldest metadata parser that understands every field written here.
const MIN_PARSER_VERSION = "1.0.0";

function offsetVector(builder: Builder, offsets: readonly number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i] ?? 0);
  return builder.endVector();
}

function floatVector(builder: Builder, values: readonly number[]): number {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addFloat32(values[i] ?? 0);
  return builder.endVector();
}

function tensorNameOnly(builder: Builder, name: string): number {
  const nameOffset = builder.createString(name);
  builder.startObject(5);
  builder.addFieldOffset(TENSOR_METADATA.name, nameOffset, 0);
  return builder.endObject();
}

/**
 * A TFLite `ModelMetadata` flatbuffer (file identifier `M001`) describing an image model with
 * one RGB float input normalised as `(pixel - mean) / std`. MediaPipe Tasks refuses float32
 * image models without it ("requires specifying NormalizationOptions metadata"); the input
 * width and height come from the tensor shape, so they are not repeated here.
 *
 * @example
 * ```ts
 * const metadata = buildImageModelMetadata({
 *   name: "face_detector", inputName: "input", mean: [127.5], std: [127.5],
 *   outputNames: ["regressors", "classificators"],
 * });
 * ```
 */
export function buildImageModelMetadata(options: ImageModelMetadataOptions): Uint8Array {
  const builder = new Builder(1024);

  const imageProperties = (() => {
    builder.startObject(1);
    builder.addFieldInt8(0, COLOR_SPACE_RGB, 0);
    return builder.endObject();
  })();
  builder.startObject(3);
  builder.addFieldInt8(CONTENT.propertiesType, CONTENT_PROPERTIES_IMAGE, 0);
  builder.addFieldOffset(CONTENT.properties, imageProperties, 0);
  const content = builder.endObject();

  const mean = floatVector(builder, options.mean);
  const std = floatVector(builder, options.std);
  builder.startObject(2);
  builder.addFieldOffset(0, mean, 0);
  builder.addFieldOffset(1, std, 0);
  const normalization = builder.endObject();
  builder.startObject(2);
  builder.addFieldInt8(PROCESS_UNIT.optionsType, PROCESS_UNIT_NORMALIZATION, 0);
  builder.addFieldOffset(PROCESS_UNIT.options, normalization, 0);
  const processUnit = builder.endObject();
  const processUnits = offsetVector(builder, [processUnit]);

  const inputName = builder.createString(options.inputName);
  builder.startObject(6);
  builder.addFieldOffset(TENSOR_METADATA.name, inputName, 0);
  builder.addFieldOffset(TENSOR_METADATA.content, content, 0);
  builder.addFieldOffset(TENSOR_METADATA.processUnits, processUnits, 0);
  const input = builder.endObject();

  const inputs = offsetVector(builder, [input]);
  const outputs = offsetVector(
    builder,
    options.outputNames.map((name) => tensorNameOnly(builder, name)),
  );
  builder.startObject(4);
  builder.addFieldOffset(SUBGRAPH_METADATA.inputTensorMetadata, inputs, 0);
  builder.addFieldOffset(SUBGRAPH_METADATA.outputTensorMetadata, outputs, 0);
  const subgraph = builder.endObject();
  const subgraphs = offsetVector(builder, [subgraph]);

  const name = builder.createString(options.name);
  const description =
    options.description === undefined ? 0 : builder.createString(options.description);
  const minParserVersion = builder.createString(MIN_PARSER_VERSION);
  builder.startObject(8);
  builder.addFieldOffset(MODEL_METADATA.name, name, 0);
  builder.addFieldOffset(MODEL_METADATA.description, description, 0);
  builder.addFieldOffset(MODEL_METADATA.subgraphMetadata, subgraphs, 0);
  builder.addFieldOffset(MODEL_METADATA.minParserVersion, minParserVersion, 0);
  builder.finish(builder.endObject(), "M001");
  return builder.asUint8Array().slice();
}
