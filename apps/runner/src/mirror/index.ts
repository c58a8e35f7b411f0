export { createWorkspaceMirror } from './workspace-mirror'
export type { WorkspaceMirror, WorkspaceMirrorOptions } from './workspace-mirror'
export type { ProjectFile, ProjectFiles } from './project-files'
export type { ProjectMirror } from './project-mirror'
