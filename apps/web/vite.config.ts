import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * monaco-vim's `exports` lists a UMD build first under `browser`, which bundles parts of Monaco 0.33; its ES
 * module build imports them from the `monaco-editor` we ship instead (through the alias below).
 */
const monacoVimEsm = join(
  dirname(createRequire(import.meta.url).resolve('monaco-vim/package.json')),
  'dist/index.mjs',
)

/** Where `npm run dev` forwards the API and the collab WebSocket (the server's default port). */
const server = process.env.MIMIVERSE_SERVER ?? 'http://127.0.0.1:3000'

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      // y-monaco imports `monaco-editor/esm/vs/editor/editor.api.js`; monaco-editor 0.5x's `exports` map publishes
      // that file as `monaco-editor/editor/editor.api.js`. Same file as `monaco-editor` loads: one Monaco instance.
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' },
      { find: /^monaco-vim$/, replacement: monacoVimEsm },
    ],
  },
  server: {
    // The Host header is kept as the browser sent it (no changeOrigin): the server refuses cookie-carrying
    // POSTs whose Origin does not match Host, and in dev both are the Vite origin.
    proxy: {
      '/trpc': { target: server },
      // The AI service, mounted on the same server in the embedded default (scripts/embedded.ts).
      '/ai': { target: server },
      // Outside agents' MCP endpoint (the AI service's handler).
      '/mcp': { target: server },
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true },
      // The runner's shared terminals, mounted on the same server (scripts/embedded.ts).
      '/terminals': { target: server.replace(/^http/, 'ws'), ws: true },
      // The runner's API (git), same server.
      '/runner': { target: server },
    },
  },
  build: {
    // Monaco and its TypeScript worker are large by nature; they are cached as immutable assets.
    chunkSizeWarningLimit: 8000,
  },
  // public/ holds the placeholder page the server shows when no build exists; it must not land in dist.
  publicDir: false,
  worker: { format: 'es' },
})
