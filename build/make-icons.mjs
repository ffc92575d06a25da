// Renders build/icon.svg into the icon set electron-builder packs: icon.png (1024 px, Linux and the
// source of the others), icon.icns (macOS) and icon.ico (Windows). The outputs are committed, so
// packaging never needs this script; run it (`npm run icons`) after changing the SVG.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

const svg = readFileSync(here('icon.svg'));
const png = Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: 1024 } }).render().asPng());
writeFileSync(here('icon.png'), png);

// BICUBIC2 is png2icons' sharpest scaler; the .ico keeps PNG-compressed layers (Vista and later).
const icns = png2icons.createICNS(png, png2icons.BICUBIC2, 0);
const ico = png2icons.createICO(png, png2icons.BICUBIC2, 0, true, true);
if (icns === null || ico === null) throw new Error('png2icons could not convert build/icon.png');
writeFileSync(here('icon.icns'), icns);
writeFileSync(here('icon.ico'), ico);
console.log(`icon.png ${png.length} B, icon.icns ${icns.length} B, icon.ico ${ico.length} B`);
