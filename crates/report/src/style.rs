//! The report's inline stylesheet: system fonts only, readable from a phone to print.

pub const CSS: &str = r#"
:root {
  --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --wash: #f4f6f9; --accent: #0b5394;
  --bar: #0072B2; --warn-bg: #fff6e0; --warn-line: #e0a800;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
.masthead { background: #0f2a47; color: #fff; padding: 2.2rem max(1.25rem, calc((100% - 72rem) / 2)) 1.8rem; }
.masthead h1 { margin: .1rem 0 .3rem; font-size: 2.6rem; line-height: 1.1; letter-spacing: -.01em; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .12em; font-size: .78rem; color: #b9cde4; }
.subtitle { margin: 0; font-size: 1.15rem; color: #e3ecf6; }
.meta { margin: .6rem 0 0; font-size: .85rem; color: #b9cde4; }
.toc { border-bottom: 1px solid var(--line); background: var(--wash);
  padding: .6rem max(1.25rem, calc((100% - 72rem) / 2)); }
.toc-title { position: absolute; left: -9999px; }
.toc ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem;
  counter-reset: toc; font-size: .9rem; }
.toc li { counter-increment: toc; }
.toc li::before { content: counter(toc) ". "; color: var(--muted); }
.toc a { color: var(--accent); text-decoration: none; }
.toc a:hover, .toc a:focus { text-decoration: underline; }
main { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem 2rem; }
section { padding: 1.6rem 0 1.2rem; border-bottom: 1px solid var(--line); }
h2 { font-size: 1.6rem; margin: 0 0 .2rem; line-height: 1.2; }
h2 .num { color: var(--accent); font-weight: 600; margin-right: .2rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.question { margin: 0 0 1rem; color: var(--muted); font-style: italic; }
p { margin: .5rem 0; max-width: 60rem; }
a { color: var(--accent); }
code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--wash);
  padding: 0 .2em; border-radius: 3px; }
code.hash { word-break: break-all; font-size: .75em; }
abbr { text-decoration: none; border-bottom: 1px dotted var(--muted); }
.sub, .abb { color: var(--muted); font-size: .85em; }
.sub { display: inline-block; }
.note { color: var(--muted); font-size: .9rem; }
.na { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; margin: .5rem 0 1rem; }
.card { margin: 0; padding: .8rem 1rem; border: 1px solid var(--line); border-radius: 8px; background: var(--wash);
  color: var(--muted); font-size: .9rem; }
.card .big { display: block; font-size: 2rem; font-weight: 700; color: var(--ink); line-height: 1.1; }
.facts, .design { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .4rem 1.2rem; margin: 0 0 1rem; }
.design { grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
.facts dt, .design dt { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.facts dd, .design dd { margin: 0; }
.summary { border-left: 4px solid var(--accent); padding: .2rem 0 .2rem 1rem; background: linear-gradient(90deg, #eef4fb, #fff 60%); }
.summary p { margin: .4rem 0; }
.tag { display: inline-block; padding: 0 .45em; margin: .1em .2em .1em 0; border-radius: 999px; font-size: .78rem;
  line-height: 1.6; white-space: nowrap; background: #e8edf4; color: #243247; }
.t-defense, .t-offense, .t-mutual-defense-pact { background: #fde3d6; color: #7a2a06; }
.t-consultation, .t-neutrality, .t-regional-defense-alliance { background: #dcebf8; color: #0b3a66; }
.t-nonaggression, .t-arms-control, .t-nonaggression-and-friendship { background: #e6f2e3; color: #1e5a1a; }
.t-security-assistance, .t-technology-sharing { background: #f3e5f1; color: #6a1f5d; }
.t-exercise-and-training, .t-intelligence-sharing { background: #fdf1cf; color: #6b4b00; }
.scroll { overflow-x: auto; margin: .6rem 0 1rem; -webkit-overflow-scrolling: touch; }
.scroll:focus { outline: 2px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.wide { min-width: 46rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; color: var(--ink); }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
thead th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  border-bottom: 2px solid #aab4c2; white-space: nowrap; }
tbody th { font-weight: 500; }
tbody tr:nth-child(even) { background: #fafbfc; }
table.num td { font-variant-numeric: tabular-nums; }
.barcell { display: flex; align-items: center; gap: .4rem; min-width: 9rem; }
.bar { display: inline-block; height: .7rem; background: var(--bar); border-radius: 2px; min-width: 1px; max-width: 60%; }
.barval { white-space: nowrap; font-variant-numeric: tabular-nums; }
.barcell .bar { flex: 0 0 auto; }
figure.chart { margin: 1rem 0; }
figure.chart svg { width: 100%; height: auto; max-width: 52rem; display: block; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; max-width: 52rem; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); gap: 0 1.5rem; align-items: start; }
.missing { border: 1px solid var(--warn-line); background: var(--warn-bg); border-radius: 6px; padding: .4rem 1rem; margin: .6rem 0; }
.study { border: 1px solid var(--line); border-radius: 8px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.caveats { color: #6b4b00; font-size: .9rem; }
details summary { cursor: pointer; color: var(--accent); margin: .4rem 0; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
ol.cited { padding-left: 1.4rem; font-size: .9rem; }
ol.cited > li { margin-bottom: .5rem; }
ol.cited ul { margin: .1rem 0; padding-left: 1.1rem; }
.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.meter { color: var(--bar); letter-spacing: .1em; white-space: nowrap; }
.cost { color: #7a2a06; }
ul.basis { font-size: .9rem; }
.more { color: var(--muted); font-size: .85em; white-space: nowrap; }
.colophon { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  .masthead h1 { font-size: 2rem; }
  h2 { font-size: 1.35rem; }
  th, td { padding: .35rem .4rem; }
  .card .big { font-size: 1.6rem; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10.5pt; color: #000; }
  .masthead, .toc, .summary, .card, .missing, code, tbody tr:nth-child(even), .tag {
    background: none !important; color: #000 !important;
  }
  .masthead { padding: 0 0 .5rem; border-bottom: 2px solid #000; }
  .kicker, .subtitle, .meta { color: #000; }
  .toc { display: none; }
  .skip { display: none; }
  main { max-width: none; padding: 0; }
  section { break-before: page; border: 0; padding-top: 0; }
  section:first-of-type { break-before: auto; }
  h2, h3, h4, caption { break-after: avoid; }
  figure, tr, .card, .study { break-inside: avoid; }
  .scroll { overflow: visible; }
  table.wide { min-width: 0; }
  thead { display: table-header-group; }
  th, td { border-bottom: 1px solid #999; }
  .tag { border: 1px solid #888; }
  .bar { background: #555 !important; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  figure.chart svg { border: 0; max-width: 100%; }
  a { color: #000; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; word-break: break-all; }
  details > summary { display: none; }
  details { display: block; }
}
"#;
