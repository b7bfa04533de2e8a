/** The figures a benchmark suite reports, by the names its issue gives. */
export type BenchFigures = Record<string, number | string | boolean | null>;

/**
 * A benchmark suite. It measures our code against a baseline in the same run (raw better-sqlite3,
 * plain Theia, ...) and reports ratios, since these machines are noisy. Progress goes to stderr;
 * the runner prints the figures as the last line of stdout.
 */
export interface BenchSuite {
    readonly description: string;
    run(log: (message: string) => void): Promise<BenchFigures>;
}
