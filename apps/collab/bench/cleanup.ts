/**
 * Teardown steps that run newest first, once, whether the bench finished, failed or was interrupted
 * (Ctrl-C), so no server process or temp directory outlives it.
 */
export class Cleanup {
  private readonly steps: { what: string; run: () => unknown }[] = []
  private running: Promise<void> | undefined

  add(what: string, run: () => unknown): void {
    this.steps.push({ what, run })
  }

  /** Runs every step even if some fail; failures are reported on stderr and make the result false. */
  run(): Promise<void> {
    this.running ??= this.runSteps()
    return this.running
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run()
      } catch (e: unknown) {
        process.stderr.write(`cleanup "${step.what}" failed: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exitCode = 1
      }
    }
  }
}
