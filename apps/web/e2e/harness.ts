import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'
import { newTestServer, signUp, type TestServer, type TestUser } from '@mimiverse/collab/testing'

/** The Debian chromium package; `npx playwright install` cannot download browsers on these machines. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const webRoot = fileURLToPath(new URL('../dist', import.meta.url))
export const screenshots = fileURLToPath(new URL('./screenshots', import.meta.url))

export interface Harness {
  server: TestServer
  browser: Browser
  /** A signed-up user with a browser context that carries their session cookie. */
  newUser(name: string): Promise<BrowserUser>
  close(): Promise<void>
}

/** A project `owner` creates, joined by each of `members` with the role given; returns its id. */
export async function sharedProject(
  owner: TestUser,
  name: string,
  members: { user: TestUser; role: 'editor' | 'reviewer' }[],
): Promise<string> {
  const projectId = (await owner.api.projects.create.mutate({ name })).id
  for (const { user, role } of members) {
    const { code } = await owner.api.projects.invite.mutate({ projectId, role })
    await user.api.projects.join.mutate({ code })
  }
  return projectId
}

export interface BrowserUser extends TestUser {
  context: BrowserContext
  page: Page
  /** Every Content-Security-Policy violation the page or its workers reported so far. */
  cspViolations: string[]
}

/**
 * A real server (in-memory PGlite, serving the built app) and one Chromium; close() stops both. `mounts` adds
 * handlers as `scripts/embedded.ts` does (the runner's terminals).
 */
export async function newHarness(
  options: Pick<NonNullable<Parameters<typeof newTestServer>[0]>, 'mounts'> = {},
): Promise<Harness> {
  const server = await newTestServer({ webRoot, ...options })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const contexts: BrowserContext[] = []
  return {
    server,
    browser,
    async newUser(name) {
      const user = await signUp(server.url, name)
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
      contexts.push(context)
      await context.addCookies([{ name: 'mimi_session', value: user.token, url: server.url }])
      const cspViolations = await watchCspViolations(context)
      const page = await context.newPage()
      page.on('pageerror', (e) => console.error(`[${name}] page error:`, e.message))
      return { ...user, context, page, cspViolations }
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close()
      await server.stop()
    },
  }
}

/**
 * Collects what the browser says about Content-Security-Policy violations: its console messages (the page's and
 * its workers') and the page's `securitypolicyviolation` events, which are logged to the console to be seen.
 */
async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = []
  const onConsole = (m: ConsoleMessage) => {
    if (/content security policy/i.test(m.text())) violations.push(m.text())
  }
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(
        `Content Security Policy violation: ${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    ),
  )
  context.on('page', (page) => {
    page.on('console', onConsole)
    page.on('worker', (worker) => worker.on('console', onConsole))
  })
  return violations
}
