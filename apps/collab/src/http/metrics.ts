import type { ServerResponse } from 'node:http'
import type { Registry } from 'prom-client'

/** `GET /metrics` in the Prometheus text format. Keep it off the public proxy: it is for the scraper. */
export async function sendMetrics(res: ServerResponse, ...registries: Registry[]): Promise<void> {
  const texts = await Promise.all(registries.map((r) => r.metrics()))
  res.writeHead(200, { 'content-type': registries[0]?.contentType ?? 'text/plain; version=0.0.4' })
  res.end(texts.join('\n'))
}
