// @ts-check
/** The pickers' live region (views/documenti/_modali.ejs, polite): what a screen reader hears. */

/** @typedef {(text: string) => void} Announce */

/**
 * An announcer writing into `region` (no region: announcing does nothing). The region is
 * emptied first and written a moment later, so the same message twice is read twice.
 * @param {Element | null} region
 * @returns {Announce}
 */
export function announcer(region) {
  return (text) => {
    if (!region) return;
    region.textContent = '';
    window.setTimeout(() => {
      region.textContent = text;
    }, 60);
  };
}
