// Placeholder until the page lands.
import { h, pageTitle } from '../dom.js';

export function render(ctx) {
  ctx.main.append(pageTitle('quarantine'), h('p', { class: 'panel' }, 'Coming soon.'));
}
