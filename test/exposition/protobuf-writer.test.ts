import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ProtobufWriter, writeTimestamp } from '../../src/exposition/protobuf-writer.js';

/** Reads a varint back as a BigInt (as a decoder does), from `bytes` at `at`. */
function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = bytes[at++];
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if (byte < 0x80) return [value, at];
  }
}

it('writes varints, zigzags and int64s as the wire format defines them (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (n) => {
      const writer = new ProtobufWriter(4);
      writer.int64(n);
      writer.sint(n);
      if (n >= 0) writer.varint(n);
      const bytes = writer.take();
      const [int64, a] = readVarint(bytes, 0);
      expect(BigInt.asIntN(64, int64)).toBe(BigInt(n));
      const [zigzag, b] = readVarint(bytes, a);
      expect((zigzag >> 1n) ^ -(zigzag & 1n)).toBe(BigInt(n));
      if (n >= 0) expect(readVarint(bytes, b)[0]).toBe(BigInt(n));
    }),
    { seed: 15, numRuns: 500 },
  );
});

it('prefixes nested messages with their length, also past 127 bytes and across a buffer growth', () => {
  const writer = new ProtobufWriter(8);
  writer.begin(1);
  writer.string(2, 'x'.repeat(300));
  writer.begin(3);
  writer.string(1, 'ünï');
  writer.end();
  writer.end();
  const bytes = writer.take();
  expect(bytes[0]).toBe((1 << 3) | 2);
  const [length, at] = readVarint(bytes, 1);
  expect(Number(length)).toBe(bytes.length - at);
  expect(Buffer.from(bytes.subarray(bytes.length - 5)).toString('utf8')).toBe('ünï');
});

it('writes timestamps as seconds and nanoseconds, negative seconds included', () => {
  const writer = new ProtobufWriter();
  writeTimestamp(writer, 1, -1.25);
  const bytes = writer.take();
  // field 1 (message), length, then seconds = -2 (int64, ten bytes) and nanos = 750000000.
  const [seconds, at] = readVarint(bytes, 3);
  expect(BigInt.asIntN(64, seconds)).toBe(-2n);
  expect(bytes[at]).toBe((2 << 3) | 0);
  expect(readVarint(bytes, at + 1)[0]).toBe(750000000n);
});
