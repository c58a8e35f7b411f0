import { isIPv4, isIPv6 } from 'node:net'

/**
 * The key the per-address socket cap counts under: an IPv4 address as it is (also written IPv4-mapped), an IPv6
 * address as its /64 network. A host is commonly given a whole /64; counting single IPv6 addresses would let it
 * open every socket from a fresh one.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:([\d.]+)$/i.exec(address)?.[1]
  if (mapped && isIPv4(mapped)) return mapped
  const host = address.split('%')[0]!
  if (!isIPv6(host)) return address
  return `${ipv6Groups(host).slice(0, 4).join(':')}::/64`
}

/** The eight groups of a valid IPv6 address, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::')
  const split = (part: string) =>
    part
      .split(':')
      .filter((g) => g !== '')
      // A trailing dotted IPv4 part fills the last two groups; only the first four groups matter here.
      .flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]))
  const left = split(head)
  const right = tail === undefined ? [] : split(tail)
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0')
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16))
}
