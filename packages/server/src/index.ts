export { decodeJpeg, type DecodeJpegOptions } from "./frames/decode-jpeg.ts";
export { createOnnxSession } from "./runtime/create-onnx-session.ts";
export { createFsModelSource } from "./runtime/fs-model-source.ts";
export {
  createOnnxFrameAnalyzer,
  type FrameAnalyzer,
  type OnnxFrameAnalyzerOptions,
} from "./verification/onnx-frame-analyzer.ts";
