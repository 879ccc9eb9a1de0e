/** UTF-8 text to base64, as QStash encodes step bodies. */
export function encodeBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** base64 to UTF-8 text, as the SDK's `decodeBase64` does. */
export function decodeBase64(base64: string): string {
  return Buffer.from(base64, "base64").toString("utf8");
}

/** Bytes to a latin-1 "binary string" (what `atob` returns). */
export function bytesToBinaryString(bytes: Uint8Array): string {
  let out = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return out;
}
