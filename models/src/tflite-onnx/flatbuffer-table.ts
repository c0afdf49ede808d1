import { ByteBuffer } from "flatbuffers";
import { LumenError } from "@lumen/protocol";

// The npm ByteBuffer reads past its end as zeros instead of failing, so a truncated model would
// parse as a model full of empty tables. Every offset is checked here before it is followed.
function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not a readable TFLite model: ${message}`);
}

/**
 * One table of a flatbuffer, read by field slot with every offset bounds-checked, so malformed
 * bytes fail with `MODEL_SOURCE_INVALID` instead of reading zeros past the end of the buffer.
 * Slots are the field ids of the schema (0, 1, 2…), not vtable byte offsets.
 *
 * @example
 * ```ts
 * const model = FlatbufferTable.root(bytes, "TFL3");
 * const version = model.uint32(0, 0);
 * const subgraphs = model.tables(2);
 * ```
 */
export class FlatbufferTable {
  readonly #bb: ByteBuffer;
  readonly #pos: number;
  readonly #vtable: number;
  readonly #vtableSize: number;

  private constructor(bb: ByteBuffer, pos: number) {
    FlatbufferTable.#check(bb, pos, 4);
    const vtable = pos - bb.readInt32(pos);
    FlatbufferTable.#check(bb, vtable, 4);
    const vtableSize = bb.readUint16(vtable);
    if (vtableSize < 4 || vtableSize % 2 !== 0) throw invalid(`bad vtable at byte ${vtable}`);
    FlatbufferTable.#check(bb, vtable, vtableSize);
    this.#bb = bb;
    this.#pos = pos;
    this.#vtable = vtable;
    this.#vtableSize = vtableSize;
  }

  static #check(bb: ByteBuffer, offset: number, length: number): void {
    if (!(Number.isInteger(offset) && offset >= 0 && offset + length <= bb.capacity())) {
      throw invalid(`offset ${offset} (+${length}) lies outside the ${bb.capacity()}-byte file`);
    }
  }

  /** The root table; `identifier` is the 4-character file identifier the schema declares. */
  static root(bytes: Uint8Array, identifier: string): FlatbufferTable {
    const bb = new ByteBuffer(bytes);
    if (bytes.length < 8 || !bb.__has_identifier(identifier)) {
      throw invalid(`no "${identifier}" file identifier`);
    }
    return new FlatbufferTable(bb, bb.readUint32(0));
  }

  // Absolute position of a field, or 0 when the field is absent (the schema default applies).
  #field(slot: number, size: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.#vtableSize) return 0;
    const relative = this.#bb.readUint16(this.#vtable + entry);
    if (relative === 0) return 0;
    FlatbufferTable.#check(this.#bb, this.#pos + relative, size);
    return this.#pos + relative;
  }

  #follow(at: number): number {
    const target = at + this.#bb.readUint32(at);
    FlatbufferTable.#check(this.#bb, target, 4);
    return target;
  }

  /** Whether the field is stored (absent fields take their schema default). */
  has(slot: number): boolean {
    return this.#field(slot, 1) !== 0;
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

  float32(slot: number, fallback: number): number {
    const at = this.#field(slot, 4);
    return at ? this.#bb.readFloat32(at) : fallback;
  }

  /** A sub-table, or undefined when absent. */
  table(slot: number): FlatbufferTable | undefined {
    const at = this.#field(slot, 4);
    return at ? new FlatbufferTable(this.#bb, this.#follow(at)) : undefined;
  }

  string(slot: number): string | undefined {
    const bytes = this.bytes(slot);
    return bytes && new TextDecoder().decode(bytes);
  }

  // Start and length of a vector whose elements are `elementSize` bytes.
  #vector(slot: number, elementSize: number): { start: number; length: number } | undefined {
    const at = this.#field(slot, 4);
    if (!at) return undefined;
    const header = this.#follow(at);
    const length = this.#bb.readUint32(header);
    FlatbufferTable.#check(this.#bb, header + 4, length * elementSize);
    return { start: header + 4, length };
  }

  /** A `[ubyte]` vector as a view into the file (no copy), or undefined when absent. */
  bytes(slot: number): Uint8Array | undefined {
    const vector = this.#vector(slot, 1);
    return vector && this.#bb.bytes().subarray(vector.start, vector.start + vector.length);
  }

  /** An `[int]` vector; empty when absent. */
  int32s(slot: number): number[] {
    const vector = this.#vector(slot, 4);
    if (!vector) return [];
    return Array.from({ length: vector.length }, (_, i) =>
      this.#bb.readInt32(vector.start + 4 * i),
    );
  }

  /** A vector of tables; empty when absent. */
  tables(slot: number): FlatbufferTable[] {
    const vector = this.#vector(slot, 4);
    if (!vector) return [];
    return Array.from(
      { length: vector.length },
      (_, i) => new FlatbufferTable(this.#bb, this.#follow(vector.start + 4 * i)),
    );
  }
}
