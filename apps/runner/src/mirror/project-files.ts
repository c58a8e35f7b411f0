/**
 * What the mirror needs of the project's files: the server's own file service, acting for the workspace (in
 * the embedded default, the collab node's `workspaceFiles`), so a file created on disk appears in everyone's
 * tree exactly as one created in the IDE. No membership is checked: the runner, not a client, picks projects.
 */
export interface ProjectFile {
  id: string
  path: string
  docName: string
}

export interface ProjectFiles {
  list(projectId: string): Promise<ProjectFile[]>
  create(projectId: string, path: string, content: string): Promise<ProjectFile>
  delete(projectId: string, fileId: string): Promise<void>
}
