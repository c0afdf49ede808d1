import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readFaceRecognitionWeights } from "../../src/face-recognition/read-face-recognition-weights.ts";
import { readTfjsWeights, type TfjsWeight } from "../../src/tfjs/read-tfjs-weights.ts";
import { faceRecognitionFiles } from "./face-api-package.ts";

const weights = readTfjsWeights(faceRecognitionFiles());

function failure(edited: ReadonlyMap<string, TfjsWeight>): LumenError {
  try {
    readFaceRecognitionWeights(edited);
  } catch (err) {
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
    return err as LumenError;
  }
  throw new Error("expected readFaceRecognitionWeights to fail");
}

describe("readFaceRecognitionWeights", () => {
  it("takes the stem, the 14 residual blocks and the final matrix in TF.js layout", () => {
    const net = readFaceRecognitionWeights(weights);
    expect(net.stem.kernelShape).toEqual([7, 7, 3, 32]);
    expect(
      net.blocks.map((b) => [b.name, b.down, b.conv1.kernelShape[2], b.conv2.kernelShape[3]]),
    ).toEqual([
      ["conv32_1", false, 32, 32],
      ["conv32_2", false, 32, 32],
      ["conv32_3", false, 32, 32],
      ["conv64_down", true, 32, 64],
      ["conv64_1", false, 64, 64],
      ["conv64_2", false, 64, 64],
      ["conv64_3", false, 64, 64],
      ["conv128_down", true, 64, 128],
      ["conv128_1", false, 128, 128],
      ["conv128_2", false, 128, 128],
      ["conv256_down", true, 128, 256],
      ["conv256_1", false, 256, 256],
      ["conv256_2", false, 256, 256],
      ["conv256_down_out", true, 256, 256],
    ]);
    // 1 + 14 * 2 convolutions: ResNet-29 counts the stem and every block convolution.
    expect(1 + net.blocks.length * 2).toBe(29);
    expect([net.fc.inputs, net.fc.units]).toEqual([256, 128]);
  });

  it("refuses a missing weight, naming it", () => {
    const edited = new Map(weights);
    edited.delete("conv64_2/conv1/scale/biases");
    expect(failure(edited).message).toMatch(/conv64_2\/conv1\/scale\/biases is missing/);
  });

  it("refuses a weight of another shape", () => {
    const edited = new Map(weights);
    const fc = weights.get("fc");
    if (!fc) throw new Error("no fc");
    edited.set("fc", { ...fc, shape: [128, 256] });
    expect(failure(edited).message).toMatch(/fc has shape \[128,256\], expected \[256,128\]/);
  });

  it("refuses a weight the network does not use", () => {
    const edited = new Map(weights);
    edited.set("conv512_1/conv1/conv/bias", {
      name: "conv512_1/conv1/conv/bias",
      shape: [1],
      values: Float32Array.of(0),
    });
    expect(failure(edited).message).toMatch(
      /not part of the network: conv512_1\/conv1\/conv\/bias/,
    );
  });
});
