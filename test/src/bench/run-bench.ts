import { benchSuites } from './suites';

/** `npm run bench -- <suite>`: runs one suite; its figures are the last line of stdout, as one JSON object. */
async function main(argv: string[]): Promise<number> {
    const name = argv[0];
    const names = Object.keys(benchSuites).join(', ');
    if (!name || name === '--help' || name === '-h') {
        process.stdout.write(`Usage: npm run bench -- <suite>\nSuites: ${names}\n`);
        return name ? 0 : 2;
    }
    const load = benchSuites[name];
    if (!load) {
        process.stderr.write(`Unknown benchmark suite "${name}". Suites: ${names}\n`);
        return 2;
    }
    const suite = await load();
    const log = (message: string) => process.stderr.write(`[bench:${name}] ${message}\n`);
    log(suite.description);
    const figures = await suite.run(log);
    process.stdout.write(`${JSON.stringify({ suite: name, ...figures })}\n`);
    return 0;
}

main(process.argv.slice(2)).then(code => process.exit(code), error => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
