/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

const utf8 = new TextEncoder();

/**
 * Writes protobuf wire format into one growing buffer: tags, varints, zigzag varints,
 * doubles, UTF-8 strings, and nested (length-delimited) messages. A nested message is
 * opened with {@link begin} and closed with {@link end}; its length is written when it
 * closes, into a byte reserved when it opened (the content moves up when the length
 * needs more bytes, which only messages of 128 bytes or more do, once each).
 *
 * Hand-written because the exposition needs a dozen fields of one `.proto` and nothing
 * else: no generated code, no runtime dependency, no message objects per series.
 *
 * @internal Used by the protobuf encoder.
 */
export class ProtobufWriter {
  bytes: Uint8Array;
  position = 0;
  private view: DataView;
  private readonly open: number[] = [];

  constructor(capacity = 65536) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `more` bytes. */
  private ensure(more: number): void {
    const needed = this.position + more;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.position));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** An unsigned varint of a non-negative integer up to 2^64 (exact up to 2^53). */
  varint(value: number): void {
    this.ensure(10);
    const bytes = this.bytes;
    let p = this.position;
    if (value < 0x80000000) {
      let v = value | 0;
      while (v > 0x7f) {
        bytes[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[p++] = v;
    } else {
      let v = value;
      while (v > 0x7f) {
        bytes[p++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      bytes[p++] = v;
    }
    this.position = p;
  }

  /** A signed `int64`/`int32` varint (a negative value takes ten bytes, as two's complement). */
  int64(value: number): void {
    if (value >= 0) {
      this.varint(value);
      return;
    }
    let bits = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (bits > 0x7fn) {
      this.bytes[this.position++] = Number(bits & 0x7fn) | 0x80;
      bits >>= 7n;
    }
    this.bytes[this.position++] = Number(bits);
  }

  /** A zigzag varint (`sint32`, `sint64`). */
  sint(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** A field tag. */
  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** A `double` field. */
  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.position, value, true);
    this.position += 8;
  }

  /** A varint field (`uint64`, `uint32`, `enum`). */
  uint(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  /** A zigzag field (`sint32`, `sint64`). */
  sintField(field: number, value: number): void {
    this.tag(field, VARINT);
    this.sint(value);
  }

  /** An `int64` field. */
  int64Field(field: number, value: number): void {
    this.tag(field, VARINT);
    this.int64(value);
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, text: string): void {
    this.tag(field, LENGTH_DELIMITED);
    const n = text.length;
    // ASCII (names, most label values) is copied byte by byte; the length is then n.
    this.ensure(5 + n);
    const start = this.position;
    this.varint(n);
    const bytes = this.bytes;
    let p = this.position;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.position = start;
        this.unicodeString(text);
        return;
      }
      bytes[p++] = c;
    }
    this.position = p;
  }

  private unicodeString(text: string): void {
    const encoded = utf8.encode(text);
    this.varint(encoded.length);
    this.ensure(encoded.length);
    this.bytes.set(encoded, this.position);
    this.position += encoded.length;
  }

  /** Opens a nested message in `field`, or, without a field, a length-delimited top-level message. */
  begin(field?: number): void {
    if (field !== undefined) this.tag(field, LENGTH_DELIMITED);
    this.ensure(1);
    this.open.push(this.position);
    this.position++;
  }

  /** Closes the message the last {@link begin} opened, writing its length before it. */
  end(): void {
    const at = this.open.pop() as number;
    const length = this.position - at - 1;
    if (length < 0x80) {
      this.bytes[at] = length;
      return;
    }
    let size = 1;
    for (let v = length; v > 0x7f; v = Math.floor(v / 128)) size++;
    this.ensure(size - 1);
    this.bytes.copyWithin(at + size, at + 1, this.position);
    const end = this.position + size - 1;
    this.position = at;
    this.varint(length);
    this.position = end;
  }

  /** Takes the bytes written so far (a copy) and starts over. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.position);
    this.position = 0;
    return out;
  }
}

/** Seconds since the epoch as a `google.protobuf.Timestamp` in `field`. */
export function writeTimestamp(writer: ProtobufWriter, field: number, seconds: number): void {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  writer.begin(field);
  // A rounding up to a full second carries into the seconds.
  const carry = nanos >= 1e9 ? 1 : 0;
  if (whole + carry !== 0) writer.int64Field(1, whole + carry);
  if (nanos % 1e9 !== 0) writer.uint(2, nanos - carry * 1e9);
  writer.end();
}

