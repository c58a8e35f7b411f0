import { describe, expect, it } from 'vitest'
import { runScripts } from './run-scripts'

describe('runScripts', () => {
  it('lists the scripts the server can run, in order', () => {
    const text = JSON.stringify({ scripts: { dev: 'vite', 'test:unit': 'vitest', '--evil': 'x', n: 3 } })
    expect(runScripts(text)).toEqual([
      { name: 'dev', command: 'vite' },
      { name: 'test:unit', command: 'vitest' },
    ])
  })

  it('has none for text that is not a package.json with scripts', () => {
    expect(runScripts('{ not json')).toEqual([])
    expect(runScripts('null')).toEqual([])
    expect(runScripts('{"scripts": "x"}')).toEqual([])
  })
})
