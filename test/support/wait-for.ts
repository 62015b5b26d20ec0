/**
 * Polls a condition (never a fixed sleep) until it holds or the time is up; `describe` says in
 * the error what was being waited for.
 *
 * A condition that throws counts as "not yet": what a test polls is often still coming into being
 * (an index whose shards are not started answers `no_shard_available_action_exception`, a port
 * not yet listening refuses). The last such error is named if time runs out, so a condition that
 * always throws still fails with its reason, only later.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  describe: () => string = () => 'condition not met',
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms: ${describe()}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
