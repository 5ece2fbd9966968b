/** Waits until `condition` holds (checked every 20 ms), failing after `timeoutMs` with the condition's text. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${condition.toString().slice(0, 160)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
