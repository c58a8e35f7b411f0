/** Monaco language ids by file extension (lower case, without the dot), for the languages Monaco bundles. */
const byExtension: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  jsonc: 'json',
  md: 'markdown',
  markdown: 'markdown',
  css: 'css',
  scss: 'scss',
  less: 'less',
  html: 'html',
  htm: 'html',
  xml: 'xml',
  svg: 'xml',
  py: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  php: 'php',
  lua: 'lua',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  ps1: 'powershell',
  sql: 'sql',
  graphql: 'graphql',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  dockerfile: 'dockerfile',
  r: 'r',
  scala: 'scala',
  dart: 'dart',
  ex: 'elixir',
  exs: 'elixir',
  clj: 'clojure',
  pl: 'perl',
  proto: 'proto',
  sol: 'sol',
}

/** Whole file names that say more than their extension. */
const byName: Record<string, string> = {
  dockerfile: 'dockerfile',
  makefile: 'plaintext',
  '.gitignore': 'plaintext',
}

/** The Monaco language for a file path; `plaintext` when unknown. */
export function languageForPath(path: string): string {
  const name = (path.split('/').pop() ?? '').toLowerCase()
  const named = byName[name]
  if (named) return named
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return 'plaintext'
  return byExtension[name.slice(dot + 1)] ?? 'plaintext'
}
