const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A random id from an injected source of randomness: 20 base-36 characters, about 103 bits. */
export function randomId(random: () => number, length = 20): string {
  let id = ''
  for (let i = 0; i < length; i++) id += ALPHABET[Math.floor(random() * ALPHABET.length)]
  return id
}
