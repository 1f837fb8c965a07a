import { flattenString } from './string-flattening.js';

/**
 * A stretch of an encoder's output made of `count` pieces, piece `index` written by
 * `piece(index)`: one per series or sample, so the pieces can be cut into chunks between
 * lines without the encoder holding the whole family as one string.
 */
export interface PieceRun {
  readonly count: number;
  piece(index: number): string;
}

/** What an encoder produces: literal text (headers, `# EOF`) and runs of pieces, in order. */
export type EncodedPart = string | PieceRun;

/**
 * The one chunking loop of both encoders: concatenates `parts` and yields the text in
 * pieces of about `chunkSize` characters, each ending where a piece ends (a line end).
 * Joined, the chunks are exactly the concatenation of the parts.
 */
export function* chunkParts(parts: Iterable<EncodedPart>, chunkSize: number): Generator<string, void, undefined> {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
    } else {
      const count = part.count;
      for (let i = 0; i < count; i++) {
        out += part.piece(i);
        if (out.length >= chunkSize) {
          yield flattenString(out);
          out = '';
        }
      }
    }
    if (out.length >= chunkSize) {
      yield flattenString(out);
      out = '';
    }
  }
  if (out !== '') yield flattenString(out);
}
