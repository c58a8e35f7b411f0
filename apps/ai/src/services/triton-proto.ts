import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'

/**
 * The KServe v2 inference service loaded from `apps/ai/proto/grpc_service.proto` (our committed subset).
 * Shared by the client and the loopback test double so both speak exactly the same messages.
 * Field names stay snake_case (`keepCase`), int64 shapes arrive as strings, bytes as Buffers.
 */
export const PROTO_PATH =
  [
    '../../proto/grpc_service.proto', // from src/services/ (tsx, tests)
    '../proto/grpc_service.proto', // from dist/server/main.js (the production bundle copies proto/ to dist/)
  ]
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((p) => existsSync(p)) ?? fileURLToPath(new URL('../../proto/grpc_service.proto', import.meta.url))

let cached: grpc.ServiceClientConstructor | null = null

export function inferenceService(): grpc.ServiceClientConstructor {
  if (cached) return cached
  const definition = loadSync(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true })
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    inference: { GRPCInferenceService: grpc.ServiceClientConstructor }
  }
  cached = pkg.inference.GRPCInferenceService
  return cached
}

/** Encodes strings as one BYTES tensor's raw contents: each element a little-endian uint32 length, then bytes. */
export function encodeBytesTensor(texts: string[]): Buffer {
  const parts: Buffer[] = []
  for (const t of texts) {
    const bytes = Buffer.from(t, 'utf8')
    const len = Buffer.alloc(4)
    len.writeUInt32LE(bytes.length, 0)
    parts.push(len, bytes)
  }
  return Buffer.concat(parts)
}

/** Decodes a raw BYTES tensor (the inverse of `encodeBytesTensor`). */
export function decodeBytesTensor(raw: Buffer): string[] {
  const out: string[] = []
  for (let at = 0; at + 4 <= raw.length;) {
    const len = raw.readUInt32LE(at)
    out.push(raw.toString('utf8', at + 4, at + 4 + len))
    at += 4 + len
  }
  return out
}

/** Reads `rows` x `cols` little-endian FP32 values (whatever the host's byte order). */
export function decodeFp32Rows(raw: Buffer, rows: number, cols: number): number[][] {
  if (raw.length !== rows * cols * 4) {
    throw new Error(`expected ${rows * cols * 4} bytes of FP32 output, got ${raw.length}`)
  }
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => raw.readFloatLE((r * cols + c) * 4)),
  )
}

/** Encodes rows of numbers as little-endian FP32 (what Triton puts in `raw_output_contents`). */
export function encodeFp32Rows(rows: number[][]): Buffer {
  const flat = rows.flat()
  const buf = Buffer.alloc(flat.length * 4)
  flat.forEach((v, i) => buf.writeFloatLE(v, i * 4))
  return buf
}
