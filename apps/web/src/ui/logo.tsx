/** The wordmark: two overlapping carets, for two people typing in one file. */
export function Logo() {
  return (
    <span className="logo">
      <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
        <rect x="4" y="3" width="3" height="14" rx="1.5" fill="#61afef" />
        <rect x="11" y="3" width="3" height="14" rx="1.5" fill="#e5c07b" />
      </svg>
      Mimiverse
    </span>
  )
}
