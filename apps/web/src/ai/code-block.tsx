import { memo, useEffect, useState } from 'react'
import { languageForPath } from '../editor/language'
import { monaco } from '../editor/monaco-setup'

export interface CodeBlockProps {
  code: string
  /** The fence's info string (`ts`, `python`, …); empty when the model gave none. */
  lang: string
  /** Inserts the code at the editor's cursor; absent when the user cannot write (reviewers) or no file is open. */
  onInsert?: (code: string) => void
}

/** A Monaco language id for a fence label: a known id as is, else by file extension (`ts`, `py`, `sh`). */
export function languageOf(lang: string): string {
  const id = lang.trim().toLowerCase()
  if (!id) return 'plaintext'
  if (monaco.languages.getLanguages().some((l) => l.id === id)) return id
  return languageForPath(`file.${id}`)
}

/**
 * A fenced code block highlighted by Monaco's own tokenizer (`colorize`), with "Insert at cursor" and "Copy".
 * `colorize` returns HTML built by Monaco from the code with every character escaped, only `<span class=mtkN>`
 * and `<br>` around it: that is the one HTML we put into the DOM (the model's own HTML never is).
 */
export const CodeBlock = memo(function CodeBlock({ code, lang, onInsert }: CodeBlockProps) {
  const html = useColorized(code, languageOf(lang))
  const [copied, setCopied] = useState(false)
  const copy = () => {
    navigator.clipboard.writeText(code).then(
      () => setCopied(true),
      () => setCopied(false),
    )
  }
  return (
    <figure className="chat-code" data-lang={lang || undefined}>
      <figcaption>
        <span className="chat-code-lang">{lang || 'text'}</span>
        {onInsert && (
          <button className="ghost small" onClick={() => onInsert(code)}>
            Insert at cursor
          </button>
        )}
        <button className="ghost small" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </figcaption>
      {html === null ? (
        <pre>
          <code>{code}</code>
        </pre>
      ) : (
        <pre>
          <code data-highlighted="true" dangerouslySetInnerHTML={{ __html: html }} />
        </pre>
      )}
    </figure>
  )
})

/** Monaco's highlighted HTML for the code; the last result stays on screen while a newer one is computed. */
function useColorized(code: string, languageId: string): string | null {
  const [html, setHtml] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    monaco.editor.colorize(code, languageId, { tabSize: 2 }).then(
      // Monaco writes spaces as no-break spaces; inside <pre> plain ones keep the layout and copy cleanly.
      (out) => current && setHtml(out.replace(/&nbsp;|&#160;|\u00a0/g, ' ')),
      () => current && setHtml(null),
    )
    return () => {
      current = false
    }
  }, [code, languageId])
  return html
}
