// A tab bar that scrolls sideways on a phone (the console's) starts scrolled to the current tab, so the
// page a person is on is in sight; without this script the bar still scrolls, from its first tab.
document.addEventListener("DOMContentLoaded", () => {
  for (const bar of document.querySelectorAll(".console-nav ul")) {
    const current = bar.querySelector('[aria-current="page"]');
    if (current && bar.scrollWidth > bar.clientWidth) {
      const item = current.closest("li");
      bar.scrollLeft = item.offsetLeft - (bar.clientWidth - item.offsetWidth) / 2;
    }
  }
});
