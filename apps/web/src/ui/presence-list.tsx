import type { PresencePeer } from '../collab/presence'

/** Who is here, in which file; click someone to follow them (click again to stop). */
export function PresenceList(props: {
  peers: PresencePeer[]
  following: string | null
  onFollow: (userId: string | null) => void
}) {
  return (
    <section className="presence" aria-label="People in this project">
      <h3 className="sidebar-heading">People</h3>
      {props.peers.length === 0 && <p className="muted small">Open a file to see who is working on it.</p>}
      <ul>
        {props.peers.map(({ user, isSelf, file }) => {
          const following = props.following === user.id
          return (
            <li key={user.id}>
              <button
                className={`presence-row${following ? ' following' : ''}`}
                disabled={isSelf}
                data-user={user.name}
                title={isSelf ? 'You' : following ? `Stop following ${user.name}` : `Follow ${user.name}`}
                onClick={() => props.onFollow(following ? null : user.id)}
              >
                <span className="avatar" style={{ background: user.color }} aria-hidden="true">
                  {user.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="presence-text">
                  <span className="presence-name">
                    {user.name}
                    {isSelf && <span className="muted"> (you)</span>}
                  </span>
                  <span className="presence-file muted">{file?.path ?? '—'}</span>
                </span>
                {following && <span className="badge">following</span>}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
