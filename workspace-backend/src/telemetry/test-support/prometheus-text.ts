/** One sample of the Prometheus text exposition format: `name{label="value",...} value`. */
export interface PrometheusSample {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly value: number;
}

const SampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LabelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;

/**
 * Parses a scrape for tests: every sample line (comments skipped); throws on a line that is
 * neither, so a malformed exposition fails the test that reads it.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
    const samples: PrometheusSample[] = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '' || line.startsWith('#')) {
            continue;
        }
        const match = SampleLine.exec(line);
        if (!match) {
            throw new Error(`not a Prometheus sample line: ${line}`);
        }
        const labels: Record<string, string> = {};
        for (const pair of (match[2] ?? '').matchAll(LabelPair)) {
            labels[pair[1]] = pair[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        }
        const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
        samples.push({ name: match[1], labels, value });
    }
    return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none, throws when several match. */
export function sampleValue(samples: readonly PrometheusSample[], name: string, labels: Record<string, string> = {}): number | undefined {
    const matching = samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    if (matching.length > 1) {
        throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}; name more labels`);
    }
    return matching[0]?.value;
}
