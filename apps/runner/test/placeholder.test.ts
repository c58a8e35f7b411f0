import { expect, it } from 'vitest'
import { RUNNER_PLACEHOLDER } from '../src/handler'

it('the runner workspace is wired into the monorepo', () => {
  expect(RUNNER_PLACEHOLDER).toBe(true)
})
