namespace Driftvy.Web.Tests.Browser;

/// <summary>
/// Checks run inside the page on what the browser actually rendered. Each returns a list of problems
/// (empty when the page passes), so a failing test says which element and why.
/// </summary>
internal static class BrowserChecks
{
    private const string Helpers = """
        const visible = el => {
          if (el.closest('[hidden]')) return false;
          const s = getComputedStyle(el);
          if (s.display === 'none' || s.visibility === 'hidden') return false;
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0;
        };
        const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : '')
          + (el.dataset && el.dataset.field ? '[' + el.dataset.field + ']' : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
        const textElements = root => {
          const out = new Set();
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.textContent.trim() && n.parentElement && visible(n.parentElement)) out.add(n.parentElement);
          }
          return [...out];
        };
        const visibleTiles = () => [...document.querySelectorAll('.tile')].filter(visible);
        """;

    /// <summary>No scrolling; every visible element inside its tile and the viewport; no text clipped.</summary>
    public const string Overflow = "() => {" + Helpers + """
          const problems = [];
          const de = document.documentElement;
          if (de.scrollHeight > innerHeight + 1 || de.scrollWidth > innerWidth + 1) problems.push('page scrolls: ' + de.scrollWidth + '×' + de.scrollHeight);
          for (const el of document.querySelectorAll('header *, #connection-banner')) {
            if (!visible(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.right > innerWidth + 1 || r.bottom > innerHeight + 1 || r.left < -1) problems.push('outside the screen: ' + name(el));
          }
          const tiles = visibleTiles();
          if (tiles.length === 0) problems.push('no tile visible');
          for (const tile of tiles) {
            const t = tile.getBoundingClientRect();
            if (t.right > innerWidth + 1 || t.bottom > innerHeight + 1) problems.push('tile outside the screen: ' + name(tile));
            for (const el of tile.querySelectorAll('*')) {
              if (!visible(el) || el.closest('.uplot')) continue;
              const r = el.getBoundingClientRect();
              if (r.left < t.left - 1 || r.right > t.right + 1 || r.top < t.top - 1 || r.bottom > t.bottom + 1) problems.push('sticks out of its tile: ' + name(el));
              if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX !== 'visible') problems.push('clipped: ' + name(el));
              if (el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0 && getComputedStyle(el).overflowY !== 'visible' && !el.classList.contains('tile')) problems.push('clipped vertically: ' + name(el));
            }
            if (tile.scrollHeight > tile.clientHeight + 1) problems.push('tile content taller than the tile: ' + name(tile.querySelector('.tile-title')));
          }
          return problems;
        }
        """;

    /// <summary>Every visible text on a tile at least <c>minPx</c> pixels.</summary>
    public const string SmallText = "minPx => {" + Helpers + """
          const problems = [];
          for (const tile of visibleTiles()) {
            for (const el of textElements(tile)) {
              const px = parseFloat(getComputedStyle(el).fontSize);
              if (px + 0.01 < minPx) problems.push(name(el) + ' ' + px.toFixed(1) + ' px');
            }
          }
          return problems;
        }
        """;

    /// <summary>
    /// WCAG 2.1 contrast of every visible text against its effective background: ancestors' background colours
    /// composited from the root down, the text colour composited with the element's effective opacity.
    /// At least 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
    /// </summary>
    public const string Contrast = "() => {" + Helpers + """
          const parse = c => {
            const m = c.match(/rgba?\(([^)]+)\)/);
            if (!m) return null;
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
            return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
          };
          const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
          const lum = c => {
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
          };
          const background = el => {
            const chain = [];
            for (let e = el; e; e = e.parentElement) chain.unshift(e);
            let bg = { r: 255, g: 255, b: 255, a: 1 };
            for (const e of chain) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c && c.a > 0) bg = over(c, bg);
            }
            return bg;
          };
          const opacity = el => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
          const problems = [];
          for (const el of textElements(document.body)) {
            const s = getComputedStyle(el);
            const bg = background(el);
            const fg = parse(s.color);
            if (!fg) continue;
            const shown = over({ ...fg, a: fg.a * opacity(el) }, bg);
            const l1 = lum(shown), l2 = lum(bg);
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            const px = parseFloat(s.fontSize);
            const large = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) problems.push(name(el) + ' ' + ratio.toFixed(2) + ':1');
          }
          return problems;
        }
        """;

    /// <summary>Every visible tile shows a value (digits; a staffing tile its line), its target line and the age of its data.</summary>
    public const string ValueTargetAge = "() => {" + Helpers + """
          const problems = [];
          for (const tile of visibleTiles()) {
            const title = (tile.querySelector('.tile-title') || {}).textContent;
            // A staffing tile's value is its line "Behov 14 · Inne 11 · −3".
            const value = tile.dataset.kind === 'staffing' ? tile.querySelector('[data-field=staffing-line]').textContent : tile.querySelector('[data-field=value]').textContent;
            const target = tile.querySelector('[data-field=target]').textContent;
            const status = tile.querySelector('[data-field=status]').textContent;
            const age = tile.querySelector('.tile-age').textContent;
            if (!/\d/.test(value)) problems.push(title + ': no value (' + value + ')');
            if (!/^(Mål|Target) /.test(target) || !status.trim()) problems.push(title + ': no target line (' + target + ' / ' + status + ')');
            if (!/\d.*(sedan|ago)|nyss|just now/.test(age)) problems.push(title + ': no age (' + age + ')');
          }
          return problems;
        }
        """;
}
