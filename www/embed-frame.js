// The iframe form of the widget (embed.html): one <lambdascape-widget> filling the frame, its
// attributes from the query parameters. A file, not an inline script, and its page's styles
// set through the CSSOM, so that embed.html runs under a strict Content Security Policy.
import './embed.js';

for (const el of [document.documentElement, document.body]) el.style.cssText = 'margin:0;padding:0;height:100%;background:transparent';
const params = new URLSearchParams(location.search);
const w = document.createElement('lambdascape-widget');
for (const a of ['scenario', 'view', 'chart', 'autoplay', 'speed', 'start', 'controls', 'theme', 'height', 'sweep']) {
  if (params.has(a)) w.setAttribute(a, params.get(a));
}
if (!params.has('height')) w.setAttribute('height', '100vh');
document.body.append(w);
