// snappyjs ships no types: the two functions LogWatch uses (Loki's snappy block format).
declare module 'snappyjs' {
  /** Throws when the input is not a valid snappy block or decompresses to more than maxLength bytes. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
  const snappy: { uncompress: typeof uncompress; compress: typeof compress };
  export default snappy;
}
