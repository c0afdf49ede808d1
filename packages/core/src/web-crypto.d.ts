// The platform-neutral packages compile with `"types": []` so neither DOM nor Node leaks in.
// WebCrypto is the one platform API they use; it is global in browsers, workers and Node 20.
declare global {
  interface SubtleCrypto {
    digest(algorithm: "SHA-256", data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  }
  var crypto: { readonly subtle: SubtleCrypto };
}

export {};
