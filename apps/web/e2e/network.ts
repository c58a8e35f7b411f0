import type { BrowserContext, WebSocketRoute } from 'playwright-core'

/**
 * Takes a browser context off the network for real, collab socket included.
 *
 * Measured with Debian Chromium 156 and playwright-core 1.65: `context.setOffline(true)` fires the page's `offline`
 * event and fails new requests, but it neither closes an open WebSocket nor drops its frames — it holds them
 * and delivers them when the context goes back online, so the provider never sees a disconnect and the
 * reconnect-and-resync path is never exercised. So the collab socket is routed through Playwright
 * (`routeWebSocket`): going offline closes every routed socket on both ends and refuses new ones until online.
 */
export interface NetworkSwitch {
  offline(): Promise<void>
  /** Only the collab socket is cut (closed, new ones refused); pages and the API still load, so a reload works. */
  socketsDown(): Promise<void>
  online(): Promise<void>
}

export async function networkSwitch(context: BrowserContext): Promise<NetworkSwitch> {
  let connected = true
  const live = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>()
  await context.routeWebSocket(/\/collab(\?|$)/, (page) => {
    if (!connected) return page.close({ code: 4000, reason: 'offline (test)' })
    const pair = { page, server: page.connectToServer() }
    live.add(pair)
  })
  const cut = async () => {
    connected = false
    for (const { page, server } of live) {
      await server.close({ code: 4000, reason: 'offline (test)' })
      await page.close({ code: 4000, reason: 'offline (test)' })
    }
    live.clear()
  }
  return {
    async offline() {
      await context.setOffline(true)
      await cut()
    },
    socketsDown: cut,
    async online() {
      connected = true
      await context.setOffline(false)
    },
  }
}
