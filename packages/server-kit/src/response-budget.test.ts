import { describe, expect, it } from 'vitest'
import { createResponseBudget } from './response-budget'

describe('createResponseBudget', () => {
  it('counts results as UTF-8 JSON, refuses the one that passes the bound without counting it, skips streams', () => {
    const budget = createResponseBudget(20)
    budget.charge({ a: 'é' }) // {"a":"é"}: 10 bytes
    expect(() => budget.charge('x'.repeat(20))).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/ask for less/) }),
    )
    budget.charge('12345678') // "12345678": 10 bytes, exactly the rest
    expect(() => budget.charge(1)).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }))
    async function* stream() {
      yield 'x'.repeat(100)
    }
    expect(() => budget.charge(stream())).not.toThrow()
  })
})
