/** Order statistics for latency samples (nearest-rank percentiles). */
export function percentile(samples: readonly number[], p: number): number {
    if (samples.length === 0) {
        throw new Error('percentile of no samples');
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Rounds for reporting: figures are noisy, more digits only mislead. */
export function round(value: number, digits = 3): number {
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
}
