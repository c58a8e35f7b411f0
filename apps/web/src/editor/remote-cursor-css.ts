import { colorFor } from '../collab/color'

export interface RemoteClient {
  clientId: number
  userId: string
  name: string
}

/**
 * CSS for y-monaco's per-client classes (`yRemoteSelection-<clientId>`, `yRemoteSelectionHead-<clientId>`):
 * a tinted selection, a caret bar, and a name label in the person's colour. Names come from other clients, so
 * they only ever appear inside a quoted, escaped CSS string.
 */
export function remoteCursorCss(clients: RemoteClient[]): string {
  return clients.map(rulesFor).join('\n')
}

function rulesFor({ clientId, userId, name }: RemoteClient): string {
  const id = Math.trunc(clientId)
  const color = colorFor(userId)
  return [
    `.yRemoteSelection-${id} { background-color: ${colorFor(userId, 0.28)}; }`,
    `.yRemoteSelectionHead-${id} { border-color: ${color}; }`,
    `.yRemoteSelectionHead-${id}::after { content: ${cssString(name)}; background-color: ${color}; }`,
  ].join('\n')
}

/** A CSS string literal: quotes, backslashes and line breaks escaped as hex escapes. */
export function cssString(s: string): string {
  return `"${s.replace(/[\\"\n\r\f<>]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`
}
