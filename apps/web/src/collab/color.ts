/** Colours are shared with the servers (an outside agent publishes the colour its id gives). */
export { colorFor } from '@mimiverse/shared'
