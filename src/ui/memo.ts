/**
 * `memo` without `preact/compat`: importing compat installs global option hooks that would also
 * change the host page's own Preact, so the widget (and the inbox, which shares its views) carry this
 * ten-line version instead.
 */
import { Component, h, type ComponentType, type FunctionComponent } from 'preact'

export function shallowEqual(a: object, b: object): boolean {
  const aKeys = Object.keys(a)
  if (aKeys.length !== Object.keys(b).length) return false
  return aKeys.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key])
}

/** Re-renders `Inner` only when a prop changed by identity (or as `same` says). */
export function memo<P extends object>(Inner: FunctionComponent<P>, same: (a: P, b: P) => boolean = shallowEqual): ComponentType<P> {
  return class Memo extends Component<P> {
    static override displayName = `Memo(${Inner.displayName ?? Inner.name})`
    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props, next)
    }
    override render() {
      return h(Inner, this.props)
    }
  }
}
