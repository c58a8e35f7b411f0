import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { navigate } from './use-route'

/** An anchor that navigates inside the app; modifier clicks keep the browser's behaviour (new tab, …). */
export function Link({ href, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return
    e.preventDefault()
    navigate(href)
  }
  return <a href={href} onClick={onClick} {...rest} />
}
