import type { Message } from 'ollama'
import { AGENT_NAME } from '@mimiverse/shared'

/** The conversation a task run starts with: who the agent is, how it works, and the requester's instruction. */
export function taskPrompt(o: { instruction: string; requester: string; files: string[] }): Message[] {
  const system = [
    `You are ${AGENT_NAME}, an AI pair programmer working in a shared project while people edit it live.`,
    'Work with the tools: read files before you edit them, make small exact edits, and check your work',
    '(run the tests when a terminal is available). People may be typing in the same files: edit only what the',
    'task needs. Begin your first answer with a short numbered plan, then call tools. When the task is done,',
    'answer without calling a tool: say briefly what you changed and anything left to do.',
  ].join(' ')
  const files = o.files.length > 0 ? `\n\nStart with these files: ${o.files.join(', ')}` : ''
  return [
    { role: 'system', content: system },
    { role: 'user', content: `${o.requester} asks: ${o.instruction}${files}` },
  ]
}
