import * as grpc from '@grpc/grpc-js'
import { BackendError, BackendFailure } from './backend-error'
import { decodeFp32Rows, encodeBytesTensor, inferenceService } from './triton-proto'

/**
 * Our interface to Triton over gRPC (KServe v2); the only module that talks to it, so test doubles plug in
 * here. Every call carries a deadline. Embeddings: the texts go in as one BYTES tensor `TEXT` of shape [n, 1]
 * (the model batches on the first dimension), the vectors come back as FP32 `EMBEDDING` [n, d], read from
 * `raw_output_contents` as little-endian floats (or `contents.fp32_contents` when a server sends those).
 */
export interface TritonBackend {
  readonly url: string
  serverLive(): Promise<boolean>
  serverReady(): Promise<boolean>
  modelReady(model: string): Promise<boolean>
  embed(model: string, texts: string[]): Promise<number[][]>
  close(): void
}

/** Tensor names of the embedding model (see triton-models/nomic-embed-text/config.pbtxt). */
export const TRITON_EMBED_INPUT = 'TEXT'
export const TRITON_EMBED_OUTPUT = 'EMBEDDING'

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void
type Unary<Req, Res> = (req: Req, options: grpc.CallOptions, cb: Callback<Res>) => grpc.ClientUnaryCall

interface Tensor {
  name: string
  datatype: string
  shape: string[]
  contents?: { fp32_contents?: number[] }
}
interface InferenceClient extends grpc.Client {
  ServerLive: Unary<object, { live: boolean }>
  ServerReady: Unary<object, { ready: boolean }>
  ModelReady: Unary<{ name: string; version?: string }, { ready: boolean }>
  ModelInfer: Unary<object, { outputs: Tensor[]; raw_output_contents: Buffer[] }>
}

export function createTritonBackend(opts: { url: string; timeoutMs: number }): TritonBackend {
  const Service = inferenceService()
  const client = new Service(opts.url, grpc.credentials.createInsecure()) as unknown as InferenceClient
  const call = <Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      method.call(client, req, { deadline: Date.now() + opts.timeoutMs }, (err, value) => {
        if (err) reject(normalize(err))
        else if (value === undefined)
          reject(new BackendError('triton', BackendFailure.Failed, 'empty answer'))
        else resolve(value)
      })
    })
  return {
    url: opts.url,
    serverLive: async () => (await call(client.ServerLive, {})).live,
    serverReady: async () => (await call(client.ServerReady, {})).ready,
    modelReady: async (name) => (await call(client.ModelReady, { name, version: '' })).ready,
    async embed(model, texts) {
      if (texts.length === 0) return []
      const res = await call(client.ModelInfer, {
        model_name: model,
        inputs: [{ name: TRITON_EMBED_INPUT, datatype: 'BYTES', shape: [texts.length, 1] }],
        outputs: [{ name: TRITON_EMBED_OUTPUT }],
        raw_input_contents: [encodeBytesTensor(texts)],
      })
      return readEmbeddings(res, texts.length)
    },
    close: () => client.close(),
  }
}

function readEmbeddings(res: { outputs: Tensor[]; raw_output_contents: Buffer[] }, n: number): number[][] {
  const index = res.outputs.findIndex((o) => o.name === TRITON_EMBED_OUTPUT)
  const out = res.outputs[index]
  if (!out || out.datatype !== 'FP32') {
    throw new BackendError(
      'triton',
      BackendFailure.Failed,
      `no FP32 ${TRITON_EMBED_OUTPUT} output in the answer`,
    )
  }
  const dims = Number(out.shape[out.shape.length - 1])
  const raw = res.raw_output_contents[index]
  try {
    if (raw && raw.length > 0) return decodeFp32Rows(raw, n, dims)
    const flat = out.contents?.fp32_contents ?? []
    return Array.from({ length: n }, (_, r) => flat.slice(r * dims, (r + 1) * dims))
  } catch (e: unknown) {
    throw new BackendError('triton', BackendFailure.Failed, e instanceof Error ? e.message : String(e))
  }
}

function normalize(err: grpc.ServiceError): BackendError {
  const failure =
    err.code === grpc.status.DEADLINE_EXCEEDED
      ? BackendFailure.Timeout
      : err.code === grpc.status.UNAVAILABLE
        ? BackendFailure.Unreachable
        : err.code === grpc.status.NOT_FOUND
          ? BackendFailure.MissingModel
          : err.code === grpc.status.CANCELLED
            ? BackendFailure.Aborted
            : BackendFailure.Failed
  return new BackendError('triton', failure, `Triton: ${err.details || err.message}`, { cause: err })
}
