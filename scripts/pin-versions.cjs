// Rewrites every workspace package.json so dependency ranges become the exact installed version.
const fs = require('fs');
const path = require('path');
const dirs = [
  '.',
  ...['packages', 'services'].flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).map((n) => path.join(d, n)) : [])),
  'e2e',
];
for (const dir of dirs) {
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) continue;
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (range.startsWith('workspace:')) continue;
      try {
        pkg[field][name] = JSON.parse(
          fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'),
        ).version;
      } catch {
        /* packages without a resolvable package.json keep their spec */
      }
    }
  }
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}
