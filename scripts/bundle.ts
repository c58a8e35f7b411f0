/**
 * Production bundle of a Node app: Node cannot run the TypeScript that our workspace packages export, so
 * `@mimiverse/*` code is bundled into one ESM file while third-party packages stay external (installed with
 * `npm ci --omit=dev`; several ship WASM or native binaries that must stay beside their own code).
 *
 *   tsx scripts/bundle.ts <entry.ts> <outfile.js> [--copy <from>:<to>]...
 */
import { cp } from 'node:fs/promises'
import { resolve } from 'node:path'
import { build, type Plugin } from 'esbuild'

const externalThirdParty: Plugin = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@mimiverse/') ? undefined : { path: args.path, external: true },
    )
  },
}

async function main(argv: string[]) {
  const [entry, outfile, ...rest] = argv
  if (!entry || !outfile) throw new Error('usage: bundle.ts <entry.ts> <outfile.js> [--copy from:to]...')
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: true,
    plugins: [externalThirdParty],
    logLevel: 'warning',
  })
  for (let i = 0; i < rest.length; i += 2) {
    const [from, to] = (rest[i + 1] ?? '').split(':')
    if (rest[i] !== '--copy' || !from || !to) throw new Error(`bad argument: ${rest[i]} ${rest[i + 1]}`)
    await cp(resolve(from), resolve(to), { recursive: true })
  }
  process.stdout.write(`bundled ${entry} -> ${outfile}\n`)
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
