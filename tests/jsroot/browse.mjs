// SPDX-License-Identifier: GPL-3.0-or-later
// Browses a running monitor's web view as JSROOT does a ROOT THttpServer:
// h.json for the hierarchy, then every item's root.json, each read with
// JSROOT's own httpRequest and drawn to SVG. Prints TAP. Usage:
//   node browse.mjs http://127.0.0.1:8080/ [minimum-items]
import { httpRequest, makeSVG } from 'jsroot';

const [base, minimum] = process.argv.slice(2);
// The very requests JSROOT's online browser makes (HierarchyPainter.mjs).
const hierarchy = await httpRequest(base + 'h.json?compact=3', 'object');
const items = [];
for (const folder of hierarchy?._childs ?? [])
  for (const item of folder._childs ?? [])
    items.push({ path: `${folder._name}/${item._name}`, kind: item._kind });

let failed = 0, n = 1;
const countOk = hierarchy?._kind === 'ROOT.Session' && items.length >= Number(minimum ?? 1);
console.log(`1..${items.length + 1}`);
console.log(`${countOk ? 'ok' : 'not ok'} 1 h.json lists ${items.length} items in ${hierarchy?._childs?.length} folders`);
if (!countOk) failed++;
for (const { path, kind } of items) {
  let ok = false, why = '';
  try {
    const object = await httpRequest(base + path + '/root.json.gz?compact=23', 'object');
    const two = object._typename === 'TH2D';
    ok = 'ROOT.' + object._typename === kind;
    if (!ok) why = `h.json says ${kind}, root.json holds ${object._typename}`;
    if (ok) {
      const svg = await makeSVG({ object, option: two ? 'colz' : 'hist', width: 600, height: 400 });
      ok = svg.startsWith('<svg') && svg.includes('<path');
      if (!ok) why = `svg of ${svg.length} bytes`;
    }
  } catch (e) {
    why = String(e);
  }
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${++n} ${path}${why ? ' # ' + why : ''}`);
}
process.exit(failed ? 1 : 0);
