/** Window of a model nothing else names (api-keys.md §1). */
export const DEFAULT_CONTEXT_WINDOW = 8192;
/** Share of the window kept free as a safety margin (api-keys.md §6.3). */
const SAFETY_SHARE = 0.05;

/** Parses LLM_MODEL_CONTEXT_WINDOWS (validated at boot): model-id prefix → tokens. Bad input gives an empty map. */
export function parseContextWindows(json: string | undefined): Map<string, number> {
  if (!json) return new Map();
  try {
    const raw: unknown = JSON.parse(json);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return new Map();
    return new Map(
      Object.entries(raw as Record<string, unknown>)
        .filter((e): e is [string, number] => Number.isInteger(e[1]) && (e[1] as number) > 0)
        .map(([prefix, tokens]) => [prefix.toLowerCase(), tokens]),
    );
  } catch {
    return new Map();
  }
}

/**
 * Window of a model from the configured map: the longest prefix of the model id that the map names (case-insensitive),
 * also tried on the part after a vendor segment (`anthropic/claude-…` matches `claude`). Null when nothing matches.
 */
export function matchContextWindow(model: string, windows: ReadonlyMap<string, number>): number | null {
  const ids = [model.toLowerCase()];
  const slash = ids[0].lastIndexOf('/');
  if (slash >= 0) ids.push(ids[0].slice(slash + 1));
  for (const id of ids) {
    let best: [string, number] | null = null;
    for (const [prefix, tokens] of windows) {
      if (id.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, tokens];
    }
    if (best) return best[1];
  }
  return null;
}

/** window = the key's context_window_tokens ?? LLM_MODEL_CONTEXT_WINDOWS match ?? 8192. */
export function resolveContextWindow(
  keyWindow: number | null | undefined,
  model: string,
  windows: ReadonlyMap<string, number>,
): number {
  return keyWindow ?? matchContextWindow(model, windows) ?? DEFAULT_CONTEXT_WINDOW;
}

/** budget = window − max_tokens − ceil(0.05 × window). May be negative (then nothing fits). */
export function promptBudget(window: number, maxTokens: number): number {
  return window - maxTokens - Math.ceil(SAFETY_SHARE * window);
}

/** Memories and the summary each get at most min(10 % of the budget, 1000) tokens. */
export function sideBlockCap(budget: number): number {
  return Math.max(0, Math.min(Math.floor(budget / 10), 1000));
}
