import { ByteBuffer } from "flatbuffers";
import { LumenError } from "@lumen/protocol";

/**
 * One table of a flatbuffer, read by field slot (the schema's field id) with every offset
 * bounds-checked. The npm `ByteBuffer` reads zeros past the end instead of failing, so a
 * truncated file would otherwise parse as a model full of empty tables.
 *
 * It also exposes absolute byte positions (`position`, `fieldTarget`), because the TFLite
 * editor reuses the original tables in place by pointing new offsets at them. Both the editor
 * and the TFLite→ONNX converter read through this one class.
 *
 * @example
 * ```ts
 * const model = FlatbufferView.root(bytes, "TFL3", "TFLite model");
 * const version = model.uint32(0, 0);
 * const subgraphs = model.tables(2);
 * ```
 */
export class FlatbufferView {
  readonly #bb: ByteBuffer;
  // What the file is meant to be, for error messages ("TFLite model", "flatbuffer"…).
  readonly #what: string;
  readonly #vtable: number;
  readonly #vtableSize: number;
  /** Absolute byte position of the table in the file. */
  readonly position: number;

  private constructor(bb: ByteBuffer, position: number, what: string) {
    this.#bb = bb;
    this.#what = what;
    this.#check(position, 4);
    const vtable = position - bb.readInt32(position);
    this.#check(vtable, 4);
    const vtableSize = bb.readUint16(vtable);
    if (vtableSize < 4 || vtableSize % 2 !== 0) throw this.#invalid(`bad vtable at byte ${vtable}`);
    this.#check(vtable, vtableSize);
    this.position = position;
    this.#vtable = vtable;
    this.#vtableSize = vtableSize;
  }

  /**
   * The root table; `identifier` is the 4-character file identifier the schema declares and
   * `what` names the file in `MODEL_SOURCE_INVALID` messages.
   */
  static root(bytes: Uint8Array, identifier: string, what = "flatbuffer"): FlatbufferView {
    const bb = new ByteBuffer(bytes);
    if (bytes.length < 8 || !bb.__has_identifier(identifier)) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `Not a ${what} (${bytes.length} bytes): no "${identifier}" file identifier`,
      );
    }
    return new FlatbufferView(bb, bb.readUint32(0), what);
  }

  #invalid(message: string): LumenError {
    return new LumenError("MODEL_SOURCE_INVALID", `Not a readable ${this.#what}: ${message}`);
  }

  #check(offset: number, length: number): void {
    const capacity = this.#bb.capacity();
    if (!(Number.isInteger(offset) && offset >= 0 && offset + length <= capacity)) {
      throw this.#invalid(`offset ${offset} (+${length}) lies outside the ${capacity}-byte buffer`);
    }
  }

  // Absolute position of a field, or 0 when the field is absent (the schema default applies).
  #field(slot: number, size: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.#vtableSize) return 0;
    const relative = this.#bb.readUint16(this.#vtable + entry);
    if (relative === 0) return 0;
    this.#check(this.position + relative, size);
    return this.position + relative;
  }

  #follow(at: number): number {
    const target = at + this.#bb.readUint32(at);
    this.#check(target, 4);
    return target;
  }

  // Start and length of a vector whose elements are `elementSize` bytes.
  #vector(slot: number, elementSize: number): { start: number; length: number } | undefined {
    const at = this.#field(slot, 4);
    if (at === 0) return undefined;
    const vector = this.#follow(at);
    const length = this.#bb.readUint32(vector);
    this.#check(vector + 4, length * elementSize);
    return { start: vector + 4, length };
  }

  /** Whether the field is stored (absent fields take their schema default). */
  has(slot: number): boolean {
    return this.#field(slot, 1) !== 0;
  }

  /**
   * Absolute position of the object (table, vector or string) an offset field points at, or
   * `undefined` when absent.
   */
  fieldTarget(slot: number): number | undefined {
    const at = this.#field(slot, 4);
    return at === 0 ? undefined : this.#follow(at);
  }

  int8(slot: number, fallback: number): number {
    const at = this.#field(slot, 1);
    return at ? this.#bb.readInt8(at) : fallback;
  }

  uint8(slot: number, fallback: number): number {
    const at = this.#field(slot, 1);
    return at ? this.#bb.readUint8(at) : fallback;
  }

  int32(slot: number, fallback: number): number {
    const at = this.#field(slot, 4);
    return at ? this.#bb.readInt32(at) : fallback;
  }

  uint32(slot: number, fallback: number): number {
    const at = this.#field(slot, 4);
    return at ? this.#bb.readUint32(at) : fallback;
  }

  /** 64-bit unsigned field as a number (TFLite's buffer offsets; exact below 2^53). */
  uint64(slot: number, fallback: number): number {
    const at = this.#field(slot, 8);
    if (!at) return fallback;
    return this.#bb.readUint32(at) + this.#bb.readUint32(at + 4) * 2 ** 32;
  }

  /**
   * A `string` field, or `undefined` when absent. Invalid UTF-8 is refused rather than replaced,
   * because the editor writes names back and a lossy decode would silently rename tensors.
   */
  string(slot: number): string | undefined {
    const bytes = this.bytes(slot);
    if (!bytes) return undefined;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw this.#invalid(`field ${slot} of the table at byte ${this.position} is not UTF-8`);
    }
  }

  /** A `[ubyte]` (or `string`) field as a view into the file, not a copy. */
  bytes(slot: number): Uint8Array | undefined {
    const vector = this.#vector(slot, 1);
    if (!vector) return undefined;
    return this.#bb.bytes().subarray(vector.start, vector.start + vector.length);
  }

  /** An `[int]` vector; empty when absent. */
  int32s(slot: number): number[] {
    const vector = this.#vector(slot, 4);
    if (!vector) return [];
    return Array.from({ length: vector.length }, (_, i) =>
      this.#bb.readInt32(vector.start + 4 * i),
    );
  }

  /** A `[float]` vector; empty when absent. */
  float32s(slot: number): number[] {
    const vector = this.#vector(slot, 4);
    if (!vector) return [];
    return Array.from({ length: vector.length }, (_, i) =>
      this.#bb.readFloat32(vector.start + 4 * i),
    );
  }

  /** A sub-table, or `undefined` when absent. */
  table(slot: number): FlatbufferView | undefined {
    const target = this.fieldTarget(slot);
    return target === undefined ? undefined : new FlatbufferView(this.#bb, target, this.#what);
  }

  /** A vector of tables; empty when absent. */
  tables(slot: number): FlatbufferView[] {
    const vector = this.#vector(slot, 4);
    if (!vector) return [];
    return Array.from(
      { length: vector.length },
      (_, i) => new FlatbufferView(this.#bb, this.#follow(vector.start + 4 * i), this.#what),
    );
  }
}
