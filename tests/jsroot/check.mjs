// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a DQM snapshot's histograms.json with JSROOT, draws every histogram
// to SVG as ROOT users would see it, and prints TAP. Usage:
//   node check.mjs histograms.json [expected-count]
import { readFileSync } from 'fs';
import { parse, makeSVG } from 'jsroot';

const [path, expected] = process.argv.slice(2);
const list = parse(readFileSync(path, 'utf8'));
const histograms = list?.arr ?? [];
let failed = 0;

console.log(`1..${histograms.length + 1}`);
const countOk = list?._typename === 'TList' && histograms.length > 0
  && (expected === undefined || histograms.length === Number(expected));
console.log(`${countOk ? 'ok' : 'not ok'} 1 TList of ${histograms.length} histograms`);
if (!countOk) failed++;

for (const [i, h] of histograms.entries()) {
  let ok = false, why = '';
  try {
    const two = h._typename === 'TH2D';
    const svg = await makeSVG({ object: h, option: two ? 'colz' : 'hist', width: 600, height: 400 });
    // A drawn histogram has its frame, axes and at least one filled path.
    ok = svg.startsWith('<svg') && svg.length > 2000 && svg.includes('<path');
    if (!ok) why = `svg of ${svg.length} bytes`;
    if (ok && h.fArray.length !== h.fNcells) { ok = false; why = 'fArray length is not fNcells'; }
  } catch (e) {
    why = String(e);
  }
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${i + 2} ${h._typename} ${h.fName}${why ? ' # ' + why : ''}`);
}
process.exit(failed ? 1 : 0);
