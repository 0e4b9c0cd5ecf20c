// Dumps the person, street and town lists of @faker-js/faker (MIT) for data/derive.py.
// Usage: node dump-fakerjs.mjs PATH_TO_UNPACKED_FAKERJS_PACKAGE > fakerjs.json
const pkg = process.argv[2];
const F = await import(`${pkg}/dist/index.js`);
const out = {};
for (const loc of ['en', 'en_GB', 'en_IN', 'en_NG', 'en_GH', 'yo_NG', 'pl', 'ro', 'fr_SN', 'tr',
  'lv', 'uz_UZ_latin', 'zu_ZA', 'af_ZA', 'it', 'es', 'en_HK', 'vi', 'nl']) {
  const d = F[loc];
  if (!d) continue;
  const p = d.person || {};
  const l = d.location || {};
  out[loc] = { first: p.first_name, last: p.last_name, street: l.street_name, city: l.city_name };
}
console.log(JSON.stringify(out));
