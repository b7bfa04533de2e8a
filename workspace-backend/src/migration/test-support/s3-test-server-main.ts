import S3rver from 's3rver';

// s3-test-server.ts runs this: `node --openssl-legacy-provider s3-test-server-main.js <dir> <bucket>...`;
// prints the endpoint on its first line once it listens, and stops on SIGTERM.
async function main(): Promise<void> {
    const [dir, ...buckets] = process.argv.slice(2);
    const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: buckets.map(name => ({ name, configs: [] })) });
    const { address, port } = await server.run();
    process.stdout.write(`http://${address}:${port}\n`);
    process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

main().catch(error => {
    process.stderr.write(`s3-test-server: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
