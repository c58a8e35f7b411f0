/**
 * The AI service (tRPC over Ollama and Triton) is not built yet; this workspace holds its place in the
 * layout so turbo, lint and typecheck already cover it.
 */
export const AI_SERVICE_PLANNED = true
