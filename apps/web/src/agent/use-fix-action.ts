import { useEffect, useRef } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import { docNameOfUri } from '../editor/file-binding'
import { monaco } from '../editor/monaco-setup'
import { fixInstruction, rangeFromMarker, type AgentEditInput, type MarkerLike } from './edit-request'

let registrations = 0

/** Quick fixes offered per request: one per problem under the caret, the first few. */
const MAX_FIXES = 3

/**
 * "Fix this": a quick fix on error and warning markers (the lightbulb, Ctrl/Cmd+.) that asks the agent to fix
 * the problem, sending the marker's range and an instruction built from its message. Registered only while
 * the user may edit; `start` reports success or failure where the workspace shows it.
 */
export function useFixAction(enabled: boolean, start: (input: AgentEditInput) => void): void {
  const startRef = useRef(start)
  startRef.current = start
  useEffect(() => {
    if (!enabled) return
    // Commands are global in Monaco: a fresh id per registration, so a remount never collides.
    const commandId = `mimiverse.agent.fix.${++registrations}`
    const command = monaco.editor.registerCommand(
      commandId,
      (_accessor: unknown, docName: unknown, marker: unknown) => {
        if (typeof docName !== 'string') return
        const m = marker as MarkerLike
        startRef.current({ docName, instruction: fixInstruction(m), range: rangeFromMarker(m) })
      },
    )
    const provider = monaco.languages.registerCodeActionProvider(
      '*',
      {
        provideCodeActions(model, _range, context) {
          const docName = docNameOfUri(model.uri)
          const markers = context.markers.filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
          const actions = docName
            ? markers.slice(0, MAX_FIXES).map((m) => ({
                title: `Fix with ${AGENT_NAME}: ${shorten(m.message)}`,
                kind: 'quickfix',
                diagnostics: [m],
                isAI: true,
                command: { id: commandId, title: `Fix with ${AGENT_NAME}`, arguments: [docName, m] },
              }))
            : []
          return { actions, dispose: () => {} }
        },
      },
      { providedCodeActionKinds: ['quickfix'] },
    )
    return () => {
      provider.dispose()
      command.dispose()
    }
  }, [enabled])
}

function shorten(message: string): string {
  const line = message.split('\n')[0] ?? ''
  return line.length > 60 ? `${line.slice(0, 59)}…` : line
}
