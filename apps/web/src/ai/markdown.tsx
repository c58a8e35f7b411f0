import { createElement, Fragment, type ReactNode } from 'react'
import { Lexer, type Token, type Tokens } from 'marked'

/** Renders a fenced code block; the chat passes one with highlighting and "Insert at cursor". */
export type RenderCode = (block: { code: string; lang: string; key: number }) => ReactNode

/**
 * Markdown from the model as React elements. marked only tokenizes; we build the elements, so no HTML the
 * model writes ever reaches the DOM: raw HTML shows as text (a prompt-injected `<img onerror>` stays text), links
 * keep only http(s) and mailto targets, and images become links (nothing is loaded from a URL the model chose).
 * Partial input renders fine, which streaming needs: an unclosed fence is a code block up to the end so far.
 */
export function renderMarkdown(source: string, renderCode: RenderCode): ReactNode {
  return blocks(Lexer.lex(source, { gfm: true, breaks: false }), renderCode)
}

function blocks(tokens: Token[], renderCode: RenderCode): ReactNode[] {
  return tokens.map((t, key) => block(t, key, renderCode))
}

function block(t: Token, key: number, renderCode: RenderCode): ReactNode {
  const tok = t as Tokens.Generic
  switch (t.type) {
    case 'space':
    case 'def':
      return null
    case 'code':
      return renderCode({ code: (t as Tokens.Code).text, lang: (t as Tokens.Code).lang ?? '', key })
    case 'heading': {
      const h = t as Tokens.Heading
      return createElement(`h${Math.min(6, h.depth + 2)}`, { key }, inline(h.tokens))
    }
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens)}</p>
    case 'blockquote':
      return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens, renderCode)}</blockquote>
    case 'list':
      return list(t as Tokens.List, key, renderCode)
    case 'hr':
      return <hr key={key} />
    case 'table':
      return table(t as Tokens.Table, key)
    case 'html':
      return (
        <p key={key} className="md-raw">
          {tok.text as string}
        </p>
      )
    case 'text':
      return <Fragment key={key}>{tok.tokens ? inline(tok.tokens) : decode(tok.text as string)}</Fragment>
    default:
      return <Fragment key={key}>{decode(tok.raw)}</Fragment>
  }
}

function list(l: Tokens.List, key: number, renderCode: RenderCode): ReactNode {
  const items = l.items.map((item, i) => <li key={i}>{blocks(item.tokens, renderCode)}</li>)
  if (!l.ordered) return <ul key={key}>{items}</ul>
  const start = typeof l.start === 'number' && l.start !== 1 ? l.start : undefined
  return (
    <ol key={key} start={start}>
      {items}
    </ol>
  )
}

function table(t: Tokens.Table, key: number): ReactNode {
  return (
    <div key={key} className="md-table">
      <table>
        <thead>
          <tr>
            {t.header.map((c, i) => (
              <th key={i}>{inline(c.tokens)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((row, r) => (
            <tr key={r}>
              {row.map((c, i) => (
                <td key={i}>{inline(c.tokens)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function inline(tokens: Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map(inlineToken)
}

function inlineToken(t: Token, key: number): ReactNode {
  const tok = t as Tokens.Generic
  switch (t.type) {
    case 'strong':
      return <strong key={key}>{inline(tok.tokens)}</strong>
    case 'em':
      return <em key={key}>{inline(tok.tokens)}</em>
    case 'del':
      return <del key={key}>{inline(tok.tokens)}</del>
    case 'codespan':
      return <code key={key}>{decode(tok.text as string)}</code>
    case 'br':
      return <br key={key} />
    case 'link':
    case 'image':
      return link(t as Tokens.Link | Tokens.Image, key)
    case 'text':
      return <Fragment key={key}>{tok.tokens ? inline(tok.tokens) : decode(tok.text as string)}</Fragment>
    default:
      // escape, html (shown as the text it is), and anything newer marked may add.
      return <Fragment key={key}>{decode((tok.text as string | undefined) ?? tok.raw)}</Fragment>
  }
}

function link(t: Tokens.Link | Tokens.Image, key: number): ReactNode {
  const label = t.type === 'image' ? decode(t.text || t.href) : inline(t.tokens)
  const href = safeHref(t.href)
  if (!href) return <Fragment key={key}>{label}</Fragment>
  return (
    <a key={key} href={href} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  )
}

/** The URL if it is http(s) or mailto, else null (`javascript:`, `data:`, relative paths on our origin). */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href)
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null
  } catch {
    return null
  }
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' }

/** Decodes the few entities models write; React escapes the result again when rendering. */
function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m, name: string) => entities[name] ?? m)
}
