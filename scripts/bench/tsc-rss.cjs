// Runs tsc in this process and, as it exits, prints its peak resident set size (KiB) on stderr as
// `MSGKIT_BENCH_MAXRSS <kib>`, so the types benchmark can read it without /usr/bin/time.
// Usage: node tsc-rss.cjs <path to typescript/lib/tsc.js> <tsc args…>
const [tscPath, ...args] = process.argv.slice(2);
process.on('exit', () => process.stderr.write(`\nMSGKIT_BENCH_MAXRSS ${process.resourceUsage().maxRSS}\n`));
process.argv = [process.argv[0], tscPath, ...args];
require(tscPath);
