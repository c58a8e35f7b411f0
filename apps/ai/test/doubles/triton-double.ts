import * as grpc from '@grpc/grpc-js'
import { decodeBytesTensor, encodeFp32Rows, inferenceService } from '../../src/services/triton-proto'

/**
 * A loopback gRPC server implementing `inference.GRPCInferenceService` (KServe v2) from the same committed
 * proto, so the real @grpc/grpc-js client is exercised. It serves one embedding model: BYTES `TEXT` in, FP32
 * `EMBEDDING` out as little-endian `raw_output_contents`. Knobs: `ready`, `modelReady`, `stall` (never answer:
 * the client's deadline must end the call). It records the texts it embedded.
 */
export interface TritonDouble {
  /** `host:port`, as TRITON_URL takes it. */
  address: string
  model: string
  ready: boolean
  modelReady: boolean
  stall: boolean
  dimensions: number
  embedded: string[][]
  close(): Promise<void>
}

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>
type Done = grpc.sendUnaryData<unknown>

interface InferRequest {
  model_name: string
  inputs: { name: string; datatype: string; shape: string[] }[]
  raw_input_contents: Buffer[]
}

export async function newTritonDouble(overrides: Partial<TritonDouble> = {}): Promise<TritonDouble> {
  const server = new grpc.Server()
  const double: TritonDouble = {
    address: '',
    model: 'nomic-embed-text',
    ready: true,
    modelReady: true,
    stall: false,
    dimensions: 768,
    embedded: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown()
        resolve()
      }),
    ...overrides,
  }
  const unary =
    <Req>(fn: (req: Req) => unknown) =>
    (call: Call<Req>, done: Done) => {
      if (double.stall) return
      try {
        done(null, fn(call.request))
      } catch (e: unknown) {
        done({ code: grpc.status.INVALID_ARGUMENT, details: e instanceof Error ? e.message : String(e) })
      }
    }
  server.addService(inferenceService().service, {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: double.ready })),
    ModelReady: unary((req: { name: string }) => ({ ready: double.modelReady && req.name === double.model })),
    ModelMetadata: unary(() => ({ name: double.model, versions: ['1'], platform: 'python' })),
    ModelInfer: unary((req: InferRequest) => infer(double, req)),
  })
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  )
  double.address = `127.0.0.1:${port}`
  return double
}

function infer(d: TritonDouble, req: InferRequest) {
  if (req.model_name !== d.model || !d.modelReady) throw new Error(`model ${req.model_name} is not ready`)
  const input = req.inputs[0]
  const raw = req.raw_input_contents[0]
  if (input?.name !== 'TEXT' || input.datatype !== 'BYTES' || !raw) throw new Error('expected BYTES TEXT')
  const texts = decodeBytesTensor(raw)
  if (texts.length !== Number(input.shape[0])) throw new Error('shape does not match the contents')
  d.embedded.push(texts)
  const rows = texts.map((t, r) =>
    Array.from({ length: d.dimensions }, (_, i) => (i === r ? 1 : t.length / 1000)),
  )
  return {
    model_name: d.model,
    model_version: '1',
    outputs: [{ name: 'EMBEDDING', datatype: 'FP32', shape: [texts.length, d.dimensions] }],
    raw_output_contents: [encodeFp32Rows(rows)],
  }
}
