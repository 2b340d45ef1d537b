// Colour arithmetic for the accessibility checks, written from the definitions (not from the app's code):
//   - WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio);
//   - alpha compositing ("over") of straight-alpha RGBA colours, as the GPU blends ImGui's draw lists;
//   - simulated colour-vision deficiency: Machado, Oliveira & Fernandes (2009), severity 1.0 matrices,
//     applied in linear RGB;
//   - CIELAB (D65) and the CIE76 colour difference ΔE*ab.
// Colours are [r, g, b] or [r, g, b, a] with components in [0, 1]; '#rrggbb' strings are accepted too.

export function rgb(c) {
  if (typeof c === 'string') {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/i.exec(c);
    if (!m) throw new Error(`not a colour: ${c}`);
    return [1, 2, 3].map((i) => parseInt(m[i], 16) / 255).concat(m[4] ? [parseInt(m[4], 16) / 255] : []);
  }
  return c;
}

const toLinear = (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const toSrgb = (v) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

export function luminance(c) {
  const [r, g, b] = rgb(c).map(toLinear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// fg (with its alpha) drawn over an opaque bg.
export function over(fg, bg) {
  const f = rgb(fg), b = rgb(bg);
  const a = f.length > 3 ? f[3] : 1;
  return [0, 1, 2].map((i) => f[i] * a + b[i] * (1 - a));
}

const MACHADO = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
export const DEFICIENCIES = Object.keys(MACHADO);

export function simulate(c, kind) {
  const lin = rgb(c).slice(0, 3).map(toLinear);
  return MACHADO[kind].map((row) => toSrgb(Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]))));
}

export function lab(c) {
  const [r, g, b] = rgb(c).slice(0, 3).map(toLinear);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

export function deltaE(a, b) {
  const p = lab(a), q = lab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

export const hex = (c) => `#${rgb(c).slice(0, 3).map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
