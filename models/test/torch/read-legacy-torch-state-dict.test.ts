import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readLegacyTorchStateDict } from "../../src/torch/read-legacy-torch-state-dict.ts";

const MODELS_DIR = new URL("../../../../shared/models/silentface/", import.meta.url);
const v2 = new Uint8Array(await readFile(new URL("2.7_80x80_MiniFASNetV2.pth", MODELS_DIR)));
const v1se = new Uint8Array(await readFile(new URL("4_0_0_80x80_MiniFASNetV1SE.pth", MODELS_DIR)));

// The magic-number, protocol-version and sys-info pickles of the V2 file: its first 137 bytes
// (where Python's own pickle.load leaves the file after three loads).
const HEADER = v2.subarray(0, 137);

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

function withStateDictPickle(pickle: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(HEADER.length + pickle.length);
  bytes.set(HEADER);
  bytes.set(pickle, HEADER.length);
  return bytes;
}

function failure(bytes: Uint8Array): LumenError {
  try {
    readLegacyTorchStateDict(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
    return err as LumenError;
  }
  throw new Error("expected readLegacyTorchStateDict to fail");
}

describe("readLegacyTorchStateDict", () => {
  // Expected values from Python's own pickle module (no torch): a custom Unpickler with
  // persistent_load, then numpy over the storage bytes.
  it("reads every tensor of both Silent-Face files as Python does", () => {
    const cases = [
      {
        stateDict: readLegacyTorchStateDict(v2),
        size: 334,
        first: [-0.03305232152342796, -0.01762656681239605, 0.032551463693380356],
        prob: [0.047721169888973236, -0.054318591952323914, 0.058228131383657455],
        sum: 34960.726277747126,
        batches: 92385n,
      },
      {
        stateDict: readLegacyTorchStateDict(v1se),
        size: 370,
        first: [0.003957771696150303, 0.12327080219984055, 0.13423162698745728],
        prob: [-0.04879532754421234, 0.12554384768009186, -0.061278071254491806],
        sum: 31742.45426949554,
        batches: 51500n,
      },
    ];
    for (const { stateDict, size, first, prob, sum, batches } of cases) {
      expect(stateDict.size).toBe(size);
      const conv1 = stateDict.get("module.conv1.conv.weight");
      expect(conv1?.dtype).toBe("float32");
      expect(conv1?.shape).toEqual([32, 3, 3, 3]);
      expect(Array.from((conv1?.data as Float32Array).subarray(0, 3))).toEqual(first);
      const probWeight = stateDict.get("module.prob.weight");
      expect(probWeight?.shape).toEqual([3, 128]);
      const probData = probWeight?.data as Float32Array;
      expect([probData[0], probData[1], probData[383]]).toEqual(prob);
      expect(stateDict.get("module.conv1.bn.num_batches_tracked")).toEqual({
        dtype: "int64",
        shape: [],
        data: BigInt64Array.of(batches),
      });
      let total = 0;
      for (const tensor of stateDict.values()) {
        if (tensor.dtype === "float32") for (const value of tensor.data) total += value;
      }
      expect(total).toBeCloseTo(sum, 6);
    }
  });

  it("refuses a wrong magic number, and says so for a zip-format file", () => {
    expect(failure(new Uint8Array(0)).message).toMatch(/magic number is missing/);
    const edited = v2.slice();
    edited[5] = 0;
    expect(failure(edited).message).toMatch(/magic number is missing/);
    expect(failure(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0, 0)).message).toMatch(/zip-format/);
  });

  it("refuses a truncated file wherever it is cut", () => {
    for (const length of [15, 100, 137, 5000, 60_000, 200_000, v2.length - 1]) {
      expect(failure(v2.subarray(0, length)).message, `${length} bytes`).toMatch(
        /truncated|end of file|more bytes|Could not find end of line/,
      );
    }
  });

  it("refuses bytes after the last storage", () => {
    const longer = new Uint8Array(v2.length + 3);
    longer.set(v2);
    expect(failure(longer).message).toMatch(/3 bytes follow the last storage/);
  });

  it("refuses a pickle that is not a state_dict", () => {
    // pickle.dumps({'epoch': 3}, protocol=2)
    const checkpoint = withStateDictPickle(hex("80027d7100580500000065706f636871014b03732e"));
    expect(failure(checkpoint).message).toMatch(/entry epoch is not a tensor/);
    // A whole pickled model: GLOBAL __main__ MiniFASNet, EMPTY_TUPLE, NEWOBJ, STOP.
    const model = withStateDictPickle(
      Uint8Array.from("\x80\x02c__main__\nMiniFASNet\n)\x81.", (c) => c.charCodeAt(0)),
    );
    expect(failure(model).message).toMatch(/calls __main__\.MiniFASNet/);
  });

  it("refuses an unknown opcode", () => {
    expect(failure(withStateDictPickle(Uint8Array.of(0x80, 0x02, 0xff, 0x2e))).message).toMatch(
      /Unsupported opcode '255'/,
    );
  });
});
