export { users, sessions } from './accounts'
export { projects, memberships, invites } from './projects'
export { files, documentSnapshots, documentUpdates } from './documents'
export { completionEvents } from './completions'
