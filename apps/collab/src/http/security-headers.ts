import type { ServerResponse } from 'node:http'

/**
 * The Content-Security-Policy of the web app (and of every other answer of this port, where it costs nothing).
 * What the built app needs and nothing more, checked in Chromium by the end-to-end tests (no violation while
 * two people edit a TypeScript file):
 * - scripts only from this origin: Vite emits no inline script, and nothing needs `eval` (zod, which would try
 *   `new Function` once, runs jitless in the app: `apps/web/src/zod-config.ts`);
 * - Monaco's workers are Vite `?worker` chunks started from their URL on this origin: `worker-src 'self'`, no
 *   `blob:`;
 * - styles: this origin's stylesheets, plus the `<style>` elements and `style` attributes Monaco and y-monaco
 *   set at run time (the theme, each remote cursor's colour), which Chromium refuses without `'unsafe-inline'`;
 * - images: the favicon is a `data:` URL;
 * - connections: the API and the collab WebSocket on this origin (`'self'` covers ws:/wss: of the same host);
 * - never framed (`frame-ancestors 'none'`), no plugins, no `<base>`, forms only to this origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const headers: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Project ids in IDE URLs stay on this origin.
  'referrer-policy': 'same-origin',
}

/** Sets the security headers on a response before whichever handler answers it. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
}
