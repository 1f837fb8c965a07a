/** The size, in UTF-16 code units, the chunked encoders aim their pieces at by default (about 64 KiB). */
export const DEFAULT_CHUNK_SIZE = 65536;
