/**
 * dlib's face recognition ResNet (`dlib_face_recognition_resnet_model_v1`, 29 convolutions, a
 * 128-d embedding) as `@vladmandic/face-api@1.7.15` runs it (`src/faceRecognitionNet/`:
 * `FaceRecognitionNet.ts`, `residualLayer.ts`, `convLayer.ts`). Its weights manifest holds no
 * architecture, only weight names and shapes, which `readFaceRecognitionWeights` checks against
 * this table.
 *
 * Every convolution is followed by dlib's affine layer (folded batch norm): `conv + bias`, then
 * `* scale/weights + scale/biases`. The stem is conv 7x7 stride 2 VALID + ReLU, then max pool
 * 3x3 stride 2 VALID. A plain block is conv 3x3 SAME + ReLU, conv 3x3 SAME, add the block's
 * input, ReLU. A down block is conv 3x3 stride 2 VALID + ReLU, conv 3x3 SAME; its shortcut is
 * average pool 2x2 stride 2 VALID, zero-padded to the new channel count, and where the two
 * branches differ in size the convolution branch gets one zero row below and one zero column
 * to the right; then add, ReLU. The head is the spatial mean and a 256→128 matrix, no bias.
 *
 * @example
 * ```ts
 * FACE_RECOGNITION_ARCHITECTURE.blocks[3]; // { name: "conv64_down", filters: 64, down: true }
 * ```
 */
export const FACE_RECOGNITION_ARCHITECTURE = {
  /** Square input side: face-api resizes every face to 150x150 (`toBatchTensor(150, true)`). */
  inputSize: 150,
  inputChannels: 3,
  /**
   * dlib's input layer (`input_rgb_image_sized`): `(rgb - meanRgb) / 256` on 0..255 values, the
   * normalisation the weights were trained with (and earlier face-api releases').
   * @vladmandic/face-api 1.7.15 divides by 255 instead (`normalize(batchTensor, meanRgb).div(255)`), a 0.4 % input
   * scale the weights never saw; Lumen keeps dlib's.
   */
  meanRgb: [122.782, 117.001, 104.298],
  inputDivisor: 256,
  stem: { name: "conv32_down", filters: 32, kernel: 7, stride: 2 },
  stemPool: { kernel: 3, stride: 2 },
  /** Residual blocks in order; their 3x3 convolutions are `<name>/conv1` and `<name>/conv2`. */
  blocks: [
    { name: "conv32_1", filters: 32, down: false },
    { name: "conv32_2", filters: 32, down: false },
    { name: "conv32_3", filters: 32, down: false },
    { name: "conv64_down", filters: 64, down: true },
    { name: "conv64_1", filters: 64, down: false },
    { name: "conv64_2", filters: 64, down: false },
    { name: "conv64_3", filters: 64, down: false },
    { name: "conv128_down", filters: 128, down: true },
    { name: "conv128_1", filters: 128, down: false },
    { name: "conv128_2", filters: 128, down: false },
    { name: "conv256_down", filters: 256, down: true },
    { name: "conv256_1", filters: 256, down: false },
    { name: "conv256_2", filters: 256, down: false },
    { name: "conv256_down_out", filters: 256, down: true },
  ],
  blockKernel: 3,
  /** Size of the embedding, the output of the final `fc` matrix. */
  embeddingSize: 128,
} as const;
