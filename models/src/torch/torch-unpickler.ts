import { BufferReader, NameRegistry, Parser } from "pickleparser";

/** The storage classes a legacy state_dict of float weights uses, with their element sizes. */
export const TORCH_STORAGE_TYPES = {
  FloatStorage: { dtype: "float32", elementBytes: 4 },
  LongStorage: { dtype: "int64", elementBytes: 8 },
} as const;

/** The name of a storage class this reader accepts, e.g. `FloatStorage`. */
export type TorchStorageType = keyof typeof TORCH_STORAGE_TYPES;

/**
 * A storage the pickle refers to by persistent id: its bytes follow the pickles in the file,
 * in the order of the storage-key list.
 */
export class TorchStorageRef {
  constructor(
    readonly type: TorchStorageType,
    /** The key the storage-key list and the tensors name it by. */
    readonly key: string,
    /** Its length in elements, as the persistent id states it. */
    readonly elements: number,
  ) {}
}

/** A tensor as `torch._utils._rebuild_tensor_v2` describes it: a strided view of a storage. */
export class TorchTensorRef {
  constructor(
    readonly storage: TorchStorageRef,
    readonly storageOffset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function counts(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || !value.every(isCount)) {
    throw new Error(`${what} is not a tuple of non-negative integers`);
  }
  return value;
}

// The markers the storage classes resolve to; only their identity matters.
const STORAGE_MARKERS = new Map<unknown, TorchStorageType>();
const STORAGE_CLASSES = new Map<TorchStorageType, () => void>();
for (const type of Object.keys(TORCH_STORAGE_TYPES) as TorchStorageType[]) {
  const marker = (): void => {
    throw new Error(`torch.${type} is only valid inside a persistent id`);
  };
  STORAGE_MARKERS.set(marker, type);
  STORAGE_CLASSES.set(type, marker);
}

// torch.serialization's legacy persistent id:
// ("storage", storage_type, root_key, location, size, view_metadata).
function storageFromPersistentId(pid: unknown): TorchStorageRef {
  if (!Array.isArray(pid) || pid.length !== 6 || pid[0] !== "storage") {
    throw new Error("a persistent id is not a legacy storage reference");
  }
  const [, marker, key, location, elements, view] = pid as unknown[];
  const type = STORAGE_MARKERS.get(marker);
  if (type === undefined) throw new Error("a persistent id names no known storage class");
  if (typeof key !== "string" || typeof location !== "string" || !isCount(elements)) {
    throw new Error(`the persistent id of a ${type} is malformed`);
  }
  if (view !== null) throw new Error(`storage ${key} is a view of another storage (unsupported)`);
  return new TorchStorageRef(type, key, elements);
}

// torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
// backward_hooks[, metadata]); only the first four matter for the values.
function rebuildTensor(...args: unknown[]): TorchTensorRef {
  const [storage, storageOffset, shape, stride] = args;
  if (args.length < 6 || args.length > 7 || !(storage instanceof TorchStorageRef)) {
    throw new Error("a _rebuild_tensor_v2 call has the wrong arguments");
  }
  if (!isCount(storageOffset)) throw new Error("a tensor's storage offset is not a count");
  const dims = counts(shape, "a tensor's size");
  const steps = counts(stride, "a tensor's stride");
  if (dims.length !== steps.length) throw new Error("a tensor's size and stride differ in rank");
  return new TorchTensorRef(storage, storageOffset, dims, steps);
}

function orderedDict(...args: unknown[]): Map<unknown, unknown> {
  if (args.length !== 0) throw new Error("an OrderedDict is built with arguments (unsupported)");
  return new Map();
}

// Anything outside this list is refused by name, so the reader never builds objects it was not
// written for (a pickle can name any Python callable).
class TorchNameRegistry extends NameRegistry {
  override onMissingName(module: string, name: string): never {
    throw new Error(`the pickle calls ${module}.${name}, which a legacy state_dict never holds`);
  }
}

/** Reads the pickles of a legacy torch file one after the other. */
export interface TorchUnpickler {
  /** Unpickles the next pickle (up to its STOP opcode) and returns its value. */
  next(): unknown;
  /** The byte offset just after the last pickle read. */
  readonly position: number;
}

/**
 * A pickle reader (npm `pickleparser`) set up for legacy PyTorch files: dicts become `Map`s,
 * `collections.OrderedDict` an empty `Map`, `torch._utils._rebuild_tensor_v2` a
 * {@link TorchTensorRef}, persistent ids {@link TorchStorageRef}s. Any other global, an
 * unknown opcode or a truncated pickle throws a plain `Error` for the caller to wrap.
 *
 * @example
 * ```ts
 * const unpickler = createTorchUnpickler(bytes.subarray(MAGIC_LENGTH));
 * const protocolVersion = unpickler.next(); // 1001
 * ```
 */
export function createTorchUnpickler(bytes: Uint8Array): TorchUnpickler {
  const registry = new TorchNameRegistry()
    .register("collections", "OrderedDict", orderedDict)
    .register("torch._utils", "_rebuild_tensor_v2", rebuildTensor);
  for (const [type, marker] of STORAGE_CLASSES) registry.register("torch", type, marker);
  const parser = new Parser({
    nameResolver: registry,
    persistentResolver: { resolve: (pid: unknown) => storageFromPersistentId(pid) },
    unpicklingTypeOfDictionary: "Map",
  });
  const reader = new BufferReader(bytes);
  return {
    next: () => parser.read<unknown>(reader),
    get position() {
      return reader.position;
    },
  };
}
