// Runs the four apps (the console signs people in and proxies to the other three) as separate
// processes (as they run in production) from the compiled
// `dist/` tree, prefixing their output, and stops them all when one dies or on Ctrl-C.
const { spawn } = require('child_process');
const path = require('path');

const apps = ['collector', 'correlator', 'alerting', 'console'];
const root = path.join(__dirname, '..');
const children = new Map();
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
}

for (const app of apps) {
  // The event-carrying apps with a 64 MiB semi-space, as their images run them and bench:pipeline
  // measures them (short-lived event objects at a high rate; the default spent a fifth of the
  // collector's CPU in scavenges).
  const flags = app === 'console' ? [] : ['--max-semi-space-size=64'];
  const child = spawn(process.execPath, [...flags, '-r', path.join(root, 'scripts/register-paths.js'), path.join(root, `dist/apps/${app}/src/main.js`)], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  children.set(app, child);
  child.on('exit', (code, signal) => {
    children.delete(app);
    if (!stopping) {
      process.stderr.write(`[start-all] ${app} exited (${signal ?? code}); stopping the others\n`);
      stopAll(code || 1);
    } else if (children.size === 0) {
      process.exit(0);
    }
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
