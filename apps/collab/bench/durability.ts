import { until, withTimeout } from './wait'
import type { BenchClient, Workspace } from './workspace'

/**
 * The durability check after the load: once every client's edits are acknowledged, each document's text as
 * stored in the database (read through the API: snapshot plus log) must equal what every one of its clients
 * holds. Clients may still be receiving each other's last updates, so each gets until it converges.
 */
export interface DurabilityResult {
  documents: number
  matching: number
  characters: number
  mismatches: string[]
}

export async function checkDurability(
  workspace: Workspace,
  clients: readonly BenchClient[],
): Promise<DurabilityResult> {
  await withTimeout(
    Promise.all(clients.map((c) => c.peer.acknowledged())),
    30_000,
    'the last acknowledgements',
  )
  const result: DurabilityResult = {
    documents: workspace.files.length,
    matching: 0,
    characters: 0,
    mismatches: [],
  }
  for (let file = 0; file < workspace.files.length; file++) {
    const stored = await workspace.read(file)
    result.characters += stored.length
    const peers = clients.filter((c) => c.file === file).map((c) => c.peer)
    const converged = Promise.all(
      peers.map((p) => until(p.doc, 'update', () => p.text.toString() === stored)),
    )
    try {
      await withTimeout(converged, 10_000, 'clients to converge')
      result.matching += 1
    } catch {
      const lengths = peers.map((p) => p.text.length).join(', ')
      result.mismatches.push(
        `${workspace.files[file]!.path}: stored ${stored.length} characters, clients ${lengths}`,
      )
    }
  }
  return result
}
