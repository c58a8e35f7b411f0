import { useSyncExternalStore } from 'react'
import { parseRoute, type Route } from './routes'

const listeners = new Set<() => void>()

function subscribe(listener: () => void) {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

const snapshot = () => location.pathname + location.search

/** Moves to another page of the app without a reload. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  listeners.forEach((l) => l())
}

/** The current route; re-renders on navigation and on the browser's back/forward buttons. */
export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, snapshot)
  const query = url.indexOf('?')
  return query < 0 ? parseRoute(url) : parseRoute(url.slice(0, query), url.slice(query))
}
