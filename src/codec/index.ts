export type { BatchContext, CreateWireCodec, DecodedReply, EncodedRow, WireCodec } from './wire-codec.ts';
export { createWireCodec, type CompleteWireCodec } from './create-wire-codec.ts';
export { JsonNumberLiteral, mayHoldInexactNumber, parseJsonExact } from './exact-json-parser.ts';
