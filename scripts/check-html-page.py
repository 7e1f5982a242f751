#!/usr/bin/env python3
"""Loads an `rtcompare explain --html` page in headless Chromium and checks
that it rendered: the page's own health marks (charts drawn, panes built, no
script or console error), no uncaught error in Chromium's console log, the
expected pane ids and chart containers in the rendered DOM, and a screenshot
that shows something (enough distinct colours, and the chart colours of
Vega's default palette somewhere on it).

usage: check-html-page.py PAGE.html SCREENSHOT.png --charts N --pane ID...
Prints one line per check; exit 1 on the first failed check.
Needs Debian's chromium and python3-pil (scripts/setup.sh test)."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         # Virtual time runs the page's timers and promises to completion
         # without a wall-clock wait.
         "--virtual-time-budget=20000"]


SHOT = (1280, 4000)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def chromium(profile, *args):
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    proc = subprocess.run([exe] + FLAGS + ["--user-data-dir=" + profile] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=180)
    if proc.returncode != 0:
        fail("chromium exited with %d: %s" % (proc.returncode, proc.stderr[-2000:]))
    return proc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("screenshot")
    ap.add_argument("--charts", type=int, required=True)
    ap.add_argument("--pane", action="append", default=[])
    args = ap.parse_args()
    url = "file://" + os.path.abspath(args.page)

    with tempfile.TemporaryDirectory() as profile:
        proc = chromium(profile, "--enable-logging=stderr", "--v=0", "--dump-dom", url)
        dom = proc.stdout
        console = [l for l in proc.stderr.splitlines() if ":CONSOLE" in l]
        uncaught = [l for l in console if "Uncaught" in l or "Error" in l]
        if uncaught:
            fail("console errors: " + " / ".join(uncaught))
        print("ok: no console error (%d console lines)" % len(console))

        # The inlined libraries' text mentions "<body>" too: the real tags
        # are the first <html ...> and the last <body ...> of the dump.
        html = re.search(r"<html[^>]*>", dom)
        if html and "data-errors" in html.group(0):
            fail("the page recorded errors: " + html.group(0))
        bodies = re.findall(r"<body[^>]*>", dom)
        if not bodies:
            fail("no <body> in the rendered DOM")
        body = bodies[-1]
        charts = re.search(r'data-charts="(\d+)"', body)
        if not charts:
            fail("the charts never finished rendering: " + body)
        if int(charts.group(1)) != args.charts:
            fail("%s charts rendered, expected %d" % (charts.group(1), args.charts))
        svgs = len(re.findall(r"<svg\b", dom))
        if svgs < args.charts:
            fail("%d <svg> elements for %d charts" % (svgs, args.charts))
        print("ok: %d charts rendered as SVG" % args.charts)
        for pane in args.pane:
            m = re.search(r'<section class="pane" id="pane-%s"' % re.escape(pane), dom)
            if not m:
                fail("pane '%s' missing" % pane)
            lines = dom[m.end():].split("</section>", 1)[0].count('class="ln"')
            if lines == 0:
                fail("pane '%s' has no lines" % pane)
            print("ok: pane %s with %d lines" % (pane, lines))

        # Tall enough for the per-iteration charts below the findings: the
        # ladder's few dots alone are too small a sample of chart colour.
        chromium(profile, "--window-size=%d,%d" % SHOT, "--screenshot=" + args.screenshot, url)

    from PIL import Image
    img = Image.open(args.screenshot).convert("RGB")
    if img.size != SHOT:
        fail("screenshot is %dx%d" % img.size)
    small = img.resize((SHOT[0] // 4, SHOT[1] // 4))
    colours = small.getcolors(maxcolors=1 << 20) or []
    if len(colours) < 50:
        fail("screenshot has only %d colours: blank or unstyled" % len(colours))
    # Vega's default category palette (tableau10) starts with these; a
    # rendered chart puts at least a few pixels of them on the page.
    palette = [(0x4c, 0x78, 0xa8), (0xf5, 0x85, 0x18), (0xe4, 0x57, 0x56)]
    pixels = img.getdata()
    hits = sum(1 for p in pixels if any(
        abs(p[0] - c[0]) + abs(p[1] - c[1]) + abs(p[2] - c[2]) < 24 for c in palette))
    if hits < 50:
        fail("no chart colours on the screenshot (%d pixels)" % hits)
    print("ok: screenshot %dx%d, %d colours, %d chart-coloured pixels"
          % (img.size[0], img.size[1], len(colours), hits))


if __name__ == "__main__":
    main()
