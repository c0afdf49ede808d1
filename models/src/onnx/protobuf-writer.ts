const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/**
 * Writes one protobuf message in wire format, field by field in call order, so the bytes are
 * exactly what the caller asked for and nothing varies between runs. Only what ONNX needs:
 * varints (int32/int64/enum), float32, bytes, strings, nested messages and packed repeats.
 *
 * @example
 * ```ts
 * const opset = new ProtobufWriter().string(1, "").int64(2, 17);
 * const model = new ProtobufWriter().int64(1, 8).message(8, opset).finish();
 * ```
 */
export class ProtobufWriter {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  #push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.byteLength;
  }

  #varint(value: bigint): void {
    // int64 fields carry negatives as their 64-bit two's complement: always ten bytes.
    let rest = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    while (rest >= 0x80n) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    this.#push(Uint8Array.from(bytes));
  }

  #tag(field: number, wireType: number): void {
    this.#varint(BigInt(field * 8 + wireType));
  }

  #lengthDelimited(field: number, bytes: Uint8Array): this {
    this.#tag(field, WIRE_LENGTH_DELIMITED);
    this.#varint(BigInt(bytes.byteLength));
    this.#push(bytes);
    return this;
  }

  /** An `int32`, `int64` or enum field. */
  int64(field: number, value: number | bigint): this {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new RangeError(`Field ${field}: ${value} is not an integer`);
    }
    this.#tag(field, WIRE_VARINT);
    this.#varint(BigInt(value));
    return this;
  }

  /** A `float` field. */
  float32(field: number, value: number): this {
    this.#tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.#push(bytes);
    return this;
  }

  /** A `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    return this.#lengthDelimited(field, value);
  }

  /** A `string` field, UTF-8. */
  string(field: number, value: string): this {
    return this.#lengthDelimited(field, textEncoder.encode(value));
  }

  /** An embedded message field. */
  message(field: number, value: ProtobufWriter): this {
    return this.#lengthDelimited(field, value.finish());
  }

  /** A packed `repeated int64` (or int32) field. */
  packedInt64(field: number, values: readonly (number | bigint)[]): this {
    const packed = new ProtobufWriter();
    for (const value of values) {
      if (typeof value === "number" && !Number.isSafeInteger(value)) {
        throw new RangeError(`Field ${field}: ${value} is not an integer`);
      }
      packed.#varint(BigInt(value));
    }
    return this.#lengthDelimited(field, packed.finish());
  }

  /** A packed `repeated float` field. */
  packedFloat32(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((value, i) => {
      view.setFloat32(i * 4, value, true);
    });
    return this.#lengthDelimited(field, bytes);
  }

  /** The message so far, as one byte array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}
