import { z } from 'zod'

/**
 * The app runs under a Content-Security-Policy without `'unsafe-eval'` (see the server's security headers).
 * Zod compiles object parsers with `new Function` when it may, and finds out by trying once: under the policy
 * that try fails (zod then parses without compiling) but the browser reports it as a violation. `jitless` skips
 * the try. Imported first, before anything parses.
 */
z.config({ jitless: true })
