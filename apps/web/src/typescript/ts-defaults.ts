// Monaco itself, not editor/monaco-setup (which calls configureTypeScript while it loads).
import * as monaco from 'monaco-editor'

const { typescript } = monaco
const diagnostics = { noSemanticValidation: false, noSyntaxValidation: false }

/**
 * The TypeScript worker sees every project TS/JS file as a `file:///<path>` model (project-models.ts), so
 * imports between them resolve and semantic checks are on. Nothing is fetched from the network: a package
 * import without its types in the project stays "Cannot find module".
 */
export function configureTypeScript(): void {
  const options: Parameters<typeof typescript.typescriptDefaults.setCompilerOptions>[0] = {
    allowJs: true,
    checkJs: false,
    target: typescript.ScriptTarget.ESNext,
    module: typescript.ModuleKind.ESNext,
    moduleResolution: typescript.ModuleResolutionKind.NodeJs,
    jsx: typescript.JsxEmit.ReactJSX,
    allowNonTsExtensions: true,
    esModuleInterop: true,
    isolatedModules: true,
    noEmit: true,
  }
  for (const defaults of [typescript.typescriptDefaults, typescript.javascriptDefaults]) {
    defaults.setCompilerOptions(options)
    defaults.setDiagnosticsOptions(diagnostics)
    // Rename is ours (rename-across-files.ts): Monaco's would edit files that are not open in private copies.
    defaults.setModeConfiguration({ ...defaults.modeConfiguration, rename: false })
    // Every model reaches the worker, not only the ones an editor has asked about.
    defaults.setEagerModelSync(true)
  }
}

/**
 * Monaco checks a model again only when that model changes; after another file changed (an edited export) the
 * files importing it keep stale errors. Setting the options again makes Monaco check every model once more.
 */
export function revalidateAll(): void {
  for (const defaults of [typescript.typescriptDefaults, typescript.javascriptDefaults]) {
    defaults.setDiagnosticsOptions({ ...diagnostics })
  }
}
