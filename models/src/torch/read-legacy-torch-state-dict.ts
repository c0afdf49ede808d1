import { LumenError } from "@lumen/protocol";
import type { TorchStateDict, TorchTensor } from "./torch-tensor.ts";
import {
  createTorchUnpickler,
  TORCH_STORAGE_TYPES,
  TorchStorageRef,
  TorchTensorRef,
} from "./torch-unpickler.ts";

// torch.serialization's MAGIC_NUMBER 0x1950a86a20f9469cfc6c pickled with protocol 2: PROTO 2,
// LONG1 of 10 bytes, STOP. Compared byte for byte (pickleparser cannot hold a 10-byte LONG1).
const MAGIC_PICKLE = Uint8Array.of(
  0x80,
  0x02,
  0x8a,
  0x0a,
  0x6c,
  0xfc,
  0x9c,
  0x46,
  0xf9,
  0x20,
  0x6a,
  0xa8,
  0x50,
  0x19,
  0x2e,
);
const PROTOCOL_VERSION = 1001;
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function invalid(message: string, cause?: unknown): LumenError {
  return new LumenError(
    "MODEL_SOURCE_INVALID",
    `Not a readable legacy PyTorch state_dict: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

function checkMagic(bytes: Uint8Array): void {
  if (MAGIC_PICKLE.every((byte, i) => bytes[i] === byte)) return;
  if (ZIP_SIGNATURE.every((byte, i) => bytes[i] === byte)) {
    throw invalid(
      "this is a zip-format file (torch.save since PyTorch 1.6), not the legacy format",
    );
  }
  throw invalid("the torch magic number is missing at byte 0");
}

function checkSysInfo(sysInfo: unknown): void {
  if (!(sysInfo instanceof Map)) throw invalid("the third pickle is not the sys-info dict");
  if (sysInfo.get("little_endian") !== true) {
    throw invalid("the file was written on a big-endian machine (unsupported)");
  }
}

function tensorRefs(stateDict: unknown): Map<string, TorchTensorRef> {
  if (!(stateDict instanceof Map)) throw invalid("the saved object is not a dict of tensors");
  const refs = new Map<string, TorchTensorRef>();
  for (const [name, value] of stateDict as Map<unknown, unknown>) {
    if (typeof name !== "string") throw invalid("the saved dict has a key that is not a string");
    if (!(value instanceof TorchTensorRef)) throw invalid(`entry ${name} is not a tensor`);
    refs.set(name, value);
  }
  if (refs.size === 0) throw invalid("the saved dict is empty");
  return refs;
}

function storagesByKey(refs: ReadonlyMap<string, TorchTensorRef>): Map<string, TorchStorageRef> {
  const storages = new Map<string, TorchStorageRef>();
  for (const { storage } of refs.values()) {
    const known = storages.get(storage.key);
    if (known && (known.type !== storage.type || known.elements !== storage.elements)) {
      throw invalid(`storage ${storage.key} is declared twice, differently`);
    }
    storages.set(storage.key, storage);
  }
  return storages;
}

function storageKeyOrder(keys: unknown, storages: ReadonlyMap<string, TorchStorageRef>): string[] {
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string")) {
    throw invalid("the storage-key pickle is not a list of strings");
  }
  const listed = new Set(keys);
  if (listed.size !== keys.length) throw invalid("the storage-key list repeats a key");
  for (const key of keys) {
    if (!storages.has(key)) throw invalid(`the storage-key list names unknown storage ${key}`);
  }
  for (const key of storages.keys()) {
    if (!listed.has(key)) throw invalid(`storage ${key} is missing from the storage-key list`);
  }
  return keys;
}

// After the pickles, each storage in key-list order: its element count as little-endian int64,
// then its raw little-endian elements.
function readStorageBytes(
  bytes: Uint8Array,
  start: number,
  order: readonly string[],
  storages: ReadonlyMap<string, TorchStorageRef>,
): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Uint8Array>();
  let at = start;
  for (const key of order) {
    const storage = storages.get(key) as TorchStorageRef;
    if (at + 8 > bytes.length) throw invalid(`the file ends before storage ${key} (truncated?)`);
    const elements = view.getBigUint64(at, true);
    if (elements !== BigInt(storage.elements)) {
      throw invalid(
        `storage ${key} holds ${elements} elements, its reference says ${storage.elements}`,
      );
    }
    const length = storage.elements * TORCH_STORAGE_TYPES[storage.type].elementBytes;
    at += 8;
    if (at + length > bytes.length) {
      throw invalid(`the file ends inside storage ${key} (truncated?)`);
    }
    out.set(key, bytes.subarray(at, at + length));
    at += length;
  }
  if (at !== bytes.length) throw invalid(`${bytes.length - at} bytes follow the last storage`);
  return out;
}

function materialise(name: string, ref: TorchTensorRef, raw: Uint8Array): TorchTensor {
  const { storage, storageOffset, shape, stride } = ref;
  const count = shape.reduce((a, b) => a * b, 1);
  const last = shape.reduce((end, size, i) => end + (size - 1) * (stride[i] ?? 0), storageOffset);
  if (count > 0 && last >= storage.elements) {
    throw invalid(`tensor ${name} reaches past the end of storage ${storage.key}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const { dtype, elementBytes } = TORCH_STORAGE_TYPES[storage.type];
  const float = dtype === "float32" ? new Float32Array(count) : undefined;
  const long = dtype === "int64" ? new BigInt64Array(count) : undefined;
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    const element = index.reduce((sum, at, d) => sum + at * (stride[d] ?? 0), storageOffset);
    if (float) float[i] = view.getFloat32(element * elementBytes, true);
    if (long) long[i] = view.getBigInt64(element * elementBytes, true);
    // Row-major odometer over the shape.
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] ?? 0) + 1;
      if ((index[d] ?? 0) < (shape[d] ?? 0)) break;
      index[d] = 0;
    }
  }
  return float
    ? { dtype: "float32", shape: [...shape], data: float }
    : { dtype: "int64", shape: [...shape], data: long ?? new BigInt64Array(0) };
}

/**
 * Reads a `state_dict` saved by `torch.save` in the legacy (pre-1.6, non-zip) format, in pure
 * JS: the magic-number pickle, the protocol-version pickle (1001), the sys-info pickle, the
 * state_dict pickle (storages as persistent ids), the storage-key list pickle, then each
 * storage's bytes behind its 8-byte element count. Every count and offset is checked against
 * the file, and the file must end exactly after the last storage.
 *
 * Only what a state_dict of float weights holds is accepted: `OrderedDict`, tensors rebuilt by
 * `_rebuild_tensor_v2` over `FloatStorage` or `LongStorage`. Any other Python global (a whole
 * pickled model, say) is refused by name.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not such a file (wrong magic,
 *   truncated, an unknown opcode or global, not a dict of tensors, storages that do not add up).
 * @example
 * ```ts
 * const stateDict = readLegacyTorchStateDict(await readFile("2.7_80x80_MiniFASNetV2.pth"));
 * stateDict.get("module.conv1.conv.weight")?.shape; // [32, 3, 3, 3]
 * ```
 */
export function readLegacyTorchStateDict(bytes: Uint8Array): TorchStateDict {
  checkMagic(bytes);
  const unpickler = createTorchUnpickler(bytes.subarray(MAGIC_PICKLE.length));
  // Each pickle is checked before the next is read, so the error names the first thing wrong.
  const next = (): unknown => {
    try {
      return unpickler.next();
    } catch (cause) {
      if (cause instanceof LumenError) throw cause;
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw invalid(`${detail} (in the pickles of a ${bytes.byteLength}-byte file)`, cause);
    }
  };
  const protocolVersion = next();
  if (protocolVersion !== PROTOCOL_VERSION) {
    throw invalid(`protocol version ${String(protocolVersion)}, expected ${PROTOCOL_VERSION}`);
  }
  checkSysInfo(next());
  const refs = tensorRefs(next());
  const storages = storagesByKey(refs);
  const order = storageKeyOrder(next(), storages);
  const raw = readStorageBytes(bytes, MAGIC_PICKLE.length + unpickler.position, order, storages);
  const tensors = new Map<string, TorchTensor>();
  for (const [name, ref] of refs) {
    tensors.set(name, materialise(name, ref, raw.get(ref.storage.key) as Uint8Array));
  }
  return tensors;
}
