import { LumenError } from "@lumen/protocol";
import type { TfjsWeight } from "../tfjs/read-tfjs-weights.ts";
import { FACE_RECOGNITION_ARCHITECTURE } from "./face-recognition-architecture.ts";

/**
 * One convolution with dlib's affine layer after it: `conv(x, kernel) + bias`, then
 * `* scale + offset` per output channel. Kernel in TF.js layout `[kh, kw, in, out]`.
 */
export interface FaceRecognitionConv {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
  readonly scale: Float32Array;
  readonly offset: Float32Array;
}

/** One residual block: its two convolutions, and whether it halves the size (`_down`). */
export interface FaceRecognitionBlock {
  readonly name: string;
  readonly down: boolean;
  readonly conv1: FaceRecognitionConv;
  readonly conv2: FaceRecognitionConv;
}

/** Every weight of the network, checked against {@link FACE_RECOGNITION_ARCHITECTURE}. */
export interface FaceRecognitionWeights {
  readonly stem: FaceRecognitionConv;
  readonly blocks: readonly FaceRecognitionBlock[];
  /** The final matrix `[inputs, embeddingSize]`, row-major, applied as `x · fc`. */
  readonly fc: { readonly kernel: Float32Array; readonly inputs: number; readonly units: number };
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not dlib face recognition weights: ${message}`);
}

/**
 * Picks the face recognition network's weights out of a TF.js weights map (face-api's names:
 * `conv32_down/conv/filters`, `conv64_1/conv2/scale/biases`, `fc`, …), checking every name
 * and shape against face-api's `FaceRecognitionNet`, so another model, a missing weight or an
 * extra one is refused instead of converted into a wrong network.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the first weight that is missing, has
 *   another shape, or is not used.
 * @example
 * ```ts
 * const weights = readFaceRecognitionWeights(readTfjsWeights(files));
 * weights.stem.kernelShape; // [7, 7, 3, 32]
 * ```
 */
export function readFaceRecognitionWeights(
  weights: ReadonlyMap<string, TfjsWeight>,
): FaceRecognitionWeights {
  const used = new Set<string>();
  const take = (name: string, shape: readonly number[]): Float32Array => {
    const found = weights.get(name);
    if (!found) throw invalid(`${name} is missing`);
    if (found.shape.join(",") !== shape.join(",")) {
      throw invalid(`${name} has shape [${found.shape.join(",")}], expected [${shape.join(",")}]`);
    }
    used.add(name);
    return found.values;
  };
  const conv = (
    prefix: string,
    kernel: number,
    inputs: number,
    filters: number,
  ): FaceRecognitionConv => {
    const kernelShape = [kernel, kernel, inputs, filters] as const;
    return {
      kernel: take(`${prefix}/conv/filters`, kernelShape),
      kernelShape,
      bias: take(`${prefix}/conv/bias`, [filters]),
      scale: take(`${prefix}/scale/weights`, [filters]),
      offset: take(`${prefix}/scale/biases`, [filters]),
    };
  };

  const { inputChannels, stem, blocks, blockKernel, embeddingSize } = FACE_RECOGNITION_ARCHITECTURE;
  let channels: number = stem.filters;
  const result: FaceRecognitionWeights = {
    stem: conv(stem.name, stem.kernel, inputChannels, stem.filters),
    blocks: blocks.map(({ name, filters, down }) => {
      const block = {
        name,
        down,
        conv1: conv(`${name}/conv1`, blockKernel, channels, filters),
        conv2: conv(`${name}/conv2`, blockKernel, filters, filters),
      };
      channels = filters;
      return block;
    }),
    fc: {
      kernel: take("fc", [channels, embeddingSize]),
      inputs: channels,
      units: embeddingSize,
    },
  };
  const unused = [...weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw invalid(`not part of the network: ${unused.join(", ")}`);
  return result;
}
