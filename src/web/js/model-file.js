// The compiled model file the tag loads (`shopper-intent.model.bin`, served as
// application/octet-stream), written from the compiler's model (the JSON of `config::model_file`):
//   "\0sim"                      4 bytes (no JSON text starts with a NUL: the tag tells them apart)
//   u32, little-endian           n, the header's length
//   the header, n bytes          JSON: format, version, runtime, summary (the model without `model`)
//   the rest                     the model's bytes, as the engine reads them (no base64)
// The CLI writes the same file (src/cli/mod.rs, `model_bin`); the tag reads it (index.js, the
// start: it imports nothing of this writer, which only the compilers need).

/** The model file for the compiler's JSON output `text`. */
export function modelFile(text) {
  const json = JSON.parse(text);
  const bin = atob(json.model);
  delete json.model;
  const header = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + header.length + bin.length);
  out.set([0, 115, 105, 109]);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  for (let i = 0; i < bin.length; i++) out[8 + header.length + i] = bin.charCodeAt(i);
  return out;
}
