// Which queries the search check runs: the cases in SEARCH_CASES (a JSON file of
// [{query, expect, first?}], e.g. example-search.json for the example site), plus one derived
// from the site itself so that any site gets a meaningful check: the first measure's ID must
// find that measure first.
import fs from 'node:fs';
import path from 'node:path';

export function searchCases(siteDir) {
  const cases = [];
  const file = process.env.SEARCH_CASES;
  if (file) cases.push(...JSON.parse(fs.readFileSync(file, 'utf8')));
  const measures = path.join(siteDir, 'measures');
  if (fs.existsSync(measures)) {
    const ids = fs.readdirSync(measures, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    if (ids.length && !cases.some((c) => c.query === ids[0])) cases.push({ query: ids[0], expect: `measures/${ids[0]}/`, first: true });
  }
  return cases;
}
