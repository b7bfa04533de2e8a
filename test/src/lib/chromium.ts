/**
 * How every test and benchmark launches Chromium: Debian's package, never a downloaded browser,
 * with the background networking off (this machine's network is closed, and Chromium would keep
 * trying to reach Google).
 */
export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export const chromiumLaunchOptions = { executablePath: chromiumExecutable, args: chromiumArgs, headless: true };
