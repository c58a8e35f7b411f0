import { describe, expect, it } from 'vitest'
import { gitignoreFolder, IgnoreRules } from './ignore-rules'

describe('IgnoreRules', () => {
  it('reads .gitignore files as git does, and always leaves out .git, node_modules and temporary files', () => {
    const rules = new IgnoreRules()
    rules.set('', '/dist\n*.log\nbuild/\n')
    rules.set('src', '!keep.log\n/local.ts\n')
    expect(rules.ignored('dist/app.js')).toBe(true)
    expect(rules.ignored('dist', true)).toBe(true)
    expect(rules.ignored('src/dist/app.js')).toBe(false)
    expect(rules.ignored('a.log')).toBe(true)
    expect(rules.ignored('src/keep.log')).toBe(false)
    expect(rules.ignored('src/local.ts')).toBe(true)
    expect(rules.ignored('src/sub/local.ts')).toBe(false)
    expect(rules.ignored('web/build/x.js')).toBe(true)
    expect(rules.ignored('node_modules/x/index.js')).toBe(true)
    expect(rules.ignored('.git/HEAD')).toBe(true)
    expect(rules.ignored('src/.main.ts.mimi-0123456789ab.tmp')).toBe(true)
    expect(rules.ignored('src/main.ts')).toBe(false)
    rules.set('', null)
    expect(rules.ignored('dist/app.js')).toBe(false)
  })

  it('names the folder a .gitignore applies to', () => {
    expect(gitignoreFolder('.gitignore')).toBe('')
    expect(gitignoreFolder('a/b/.gitignore')).toBe('a/b')
    expect(gitignoreFolder('a/.gitignore.bak')).toBeNull()
  })
})
