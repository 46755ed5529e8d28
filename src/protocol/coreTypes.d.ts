// The protocol derives its run types from the core's engine types (src/core/engine/types.ts),
// whose runner options also name AbortSignal. This folder compiles without DOM and Node types, so
// that one name is declared opaque here; the protocol's own types never use it. Merges harmlessly
// with the real AbortSignal where DOM or Node types are present.
interface AbortSignal {}
