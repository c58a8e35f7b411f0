import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { renderMarkdown, safeHref, type RenderCode } from './markdown'

const code: RenderCode = ({ code, lang, key }) => createElement('pre', { key, 'data-lang': lang }, code)
const html = (md: string) => renderToStaticMarkup(createElement('div', null, renderMarkdown(md, code)))

describe('renderMarkdown', () => {
  it('renders the usual subset', () => {
    expect(html('# Title\n\nSome **bold**, *em* and `a<b`.\n\n- one\n- two')).toBe(
      '<div><h3>Title</h3><p>Some <strong>bold</strong>, <em>em</em> and <code>a&lt;b</code>.</p>' +
        '<ul><li>one</li><li>two</li></ul></div>',
    )
  })

  it('hands fenced code to the code renderer, also while the fence is still open (streaming)', () => {
    expect(html('Try:\n\n```ts\nconst a = 1\n```')).toBe(
      '<div><p>Try:</p><pre data-lang="ts">const a = 1</pre></div>',
    )
    expect(html('```py\nprint(1)\nprint(')).toBe('<div><pre data-lang="py">print(1)\nprint(</pre></div>')
  })

  it('never lets model-written HTML into the DOM: scripts, event handlers and javascript: links stay text', () => {
    const out = html(
      'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n' +
        '[click](javascript:alert(3)) ![pic](https://evil.test/x.png) <a href="https://x" onclick="alert(4)">a</a>',
    )
    const tags = [...out.matchAll(/<([a-z]+)([^>]*)>/g)].map((m) => `${m[1]}${m[2]}`)
    expect(tags).toEqual([
      'div',
      'p',
      'p class="md-raw"',
      'p',
      'a href="https://evil.test/x.png" target="_blank" rel="noopener noreferrer"',
    ])
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;')
    expect(out).toContain('click')
  })

  it('decodes the common entities once, without turning them into markup', () => {
    expect(html('a &lt;b&gt; &amp; c')).toBe('<div><p>a &lt;b&gt; &amp; c</p></div>')
  })
})

describe('safeHref', () => {
  it.each([
    ['https://example.com/a?b', 'https://example.com/a?b'],
    ['mailto:a@b.c', 'mailto:a@b.c'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['data:text/html,<script>', null],
    ['/relative', null],
  ])('%s -> %s', (href, expected) => expect(safeHref(href)).toBe(expected))
})
