import serialize from '@xterm/addon-serialize'
import headless from '@xterm/headless'

/**
 * Heap held per terminal by the server's screen model once its scrollback is full (1,000 lines of 100
 * characters, as `Terminal` keeps it), measured in this process with forced collections (`--expose-gc`).
 */
export async function screenModelBytes(count: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with node --expose-gc')
  gc()
  const before = process.memoryUsage().heapUsed
  const line = `${'x'.repeat(99)}\r\n`
  const screens = []
  for (let i = 0; i < count; i++) {
    const screen = new headless.Terminal({ cols: 100, rows: 30, scrollback: 1000, allowProposedApi: true })
    screen.loadAddon(new serialize.SerializeAddon())
    await new Promise<void>((resolve) => screen.write(line.repeat(1100), resolve))
    screens.push(screen)
  }
  gc()
  const bytes = (process.memoryUsage().heapUsed - before) / count
  for (const s of screens) s.dispose()
  return Math.round(bytes)
}
