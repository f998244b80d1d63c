// npm run bench:scenario -- <name>: one situation the service is put in, measured on its own.
// The benchmarks that compare variants under load are npm run bench, bench:ab, bench:request-path
// and bench:instrumentations; each scenario here answers one question of its own, and its file
// says how. Settings are each scenario's environment variables (its file and bench/README.md).
const SCENARIOS: Record<string, { module: string; question: string }> = {
  flood: {
    module: './flood.js',
    question: 'does /healthz stay answered, and memory bounded, under a pipelined flood?',
  },
  page: { module: './page-load.js', question: "what does the page's instrumentation cost the user? (needs Chromium)" },
  'relay-abuse': {
    module: './relay-abuse.js',
    question: 'what can one hostile client do through the browser relay?',
  },
  'jaeger-memory': {
    module: './jaeger-memory.js',
    question: 'how much memory does Jaeger take with its store full? (needs scripts/stack-install.sh)',
  },
  'export-path': {
    module: './export-path.js',
    question: 'would serializing spans in a worker thread take work off the request path?',
  },
};

const name = process.argv[2] ?? '';
const scenario = SCENARIOS[name];
if (!scenario || process.argv.length > 3) {
  const list = Object.entries(SCENARIOS).map(([n, s]) => `  ${n.padEnd(14)} ${s.question}`);
  process.stderr.write(`usage: npm run bench:scenario -- <name>, one of:\n${list.join('\n')}\n`);
  process.exit(2);
}
await import(scenario.module);
