import { describe, expect, it } from 'vitest'
import { Terminal } from './terminal'
import { TokenBucket } from './token-bucket'

describe('Terminal', () => {
  it('gives a late joiner output the screen model has not parsed yet', async () => {
    const snapshots: string[] = []
    let exited!: () => void
    const done = new Promise<void>((resolve) => (exited = resolve))
    const terminal: Terminal = new Terminal({
      id: '00000000-0000-4000-8000-000000000000',
      kind: 'shell',
      title: 'sh',
      createdBy: { id: 'u', name: 'U' },
      cols: 80,
      rows: 24,
      spawn: { file: '/bin/sh', args: ['-c', 'echo "mark-$((6 * 7))"'], env: { PATH: '/usr/bin:/bin' } },
      outputBytesPerSecond: 1024 * 1024,
      nodeOutput: { bulk: new TokenBucket(1024 * 1024), interactive: new TokenBucket(65_536) },
      // A member joining right when output arrives: the screen model has been handed it but not parsed it.
      onOutput: (data) => {
        if (data.includes('mark-42')) snapshots.push(terminal.snapshot().data)
      },
      onExit: () => exited(),
    })
    await done
    terminal.dispose()
    expect(snapshots).toHaveLength(1)
    expect(snapshots[0]).toContain('mark-42')
  })
})
