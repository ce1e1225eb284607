"""The LibreOffice user profile's settings for converting bilag: nothing is fetched.

An attachment is someone else's document. Opening it must not make LibreOffice fetch
what it links to (a picture on a web server, a linked file on a share), update links,
run macros or recalculate formulas such as WEBSERVICE. ``office_clean`` removes such
links from the file first; these settings are the second defence, and the only one
for old binary formats it cannot clean. They go into the profile's
``registrymodifications.xcu`` before LibreOffice first starts with it, and are put
back whenever a profile is reused.

The keys are LibreOffice's own (officecfg schema, checked against 7.4):

- ``Common/Security/Scripting/BlockUntrustedRefererLinks``: a document outside the
  trusted locations (none are set) may not load linked pictures or other resources;
- ``Writer/Content/Update/Link`` 0 and ``Calc/Content/Update/Link`` 1: never update
  links (Writer: 0 never, 1 on request, 2 always; Calc: 0 always, 1 never, 2 ask);
- ``Calc/Formula/Load/OOXMLRecalcMode`` and ``ODFRecalcMode`` 1: never recalculate on
  load, so the saved values print (as Excel shows them) and no formula fetches;
- ``Common/Security/Scripting/MacroSecurityLevel`` 3 and ``DisableMacrosExecution``:
  no macro runs;
- ``Inet/Settings``: a manual proxy for HTTP, HTTPS and FTP on a local port where
  nothing listens, and no exceptions. A .doc with a linked picture made LibreOffice
  ask the picture's server (OPTIONS, HEAD) despite the settings above; through the
  proxy nothing leaves the machine;
- ``Common/Filter/PDF/Export/UseTaggedPDF``: every PDF made is tagged (headings, reading
  order, alt text, the document's language), for Writer, Calc and Impress alike, so a
  public bilag converted here keeps its structure in the bilagspakke. (Tagged, not
  claimed PDF/UA: a bilag's author decides whether it is; our agenda passes
  ``PDFUACompliance`` on the command line, see ``convert_office.PDF_UA``.)
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

__all__ = ["SETTINGS", "apply_settings"]

#: A proxy address where nothing listens (the discard port on this machine): a request
#: LibreOffice still makes fails at once, and never reaches the address it names.
NOWHERE_HOST = "127.0.0.1"
NOWHERE_PORT = 9

#: (node path, property, value)
SETTINGS: tuple[tuple[str, str, str], ...] = (
    (
        "/org.openoffice.Office.Common/Security/Scripting",
        "BlockUntrustedRefererLinks",
        "true",
    ),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    (
        "/org.openoffice.Office.Common/Security/Scripting",
        "DisableMacrosExecution",
        "true",
    ),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),
    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "1"),
    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "1"),
    ("/org.openoffice.Office.Common/Filter/PDF/Export", "UseTaggedPDF", "true"),
    # every web address goes through a proxy that is not there: nothing leaves the machine
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    *(
        ("/org.openoffice.Inet/Settings", f"ooInet{scheme}Proxy{what}", value)
        for scheme in ("HTTP", "HTTPS", "FTP")
        for what, value in (("Name", NOWHERE_HOST), ("Port", str(NOWHERE_PORT)))
    ),
)

_FILE = Path("user") / "registrymodifications.xcu"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)
_TAIL = "</oor:items>\n"


def _item(path: str, name: str, value: str) -> str:
    """One setting, written as LibreOffice writes it (so a rewritten file still has it)."""
    return (
        f"<item oor:path={quoteattr(path)}><prop oor:name={quoteattr(name)} "
        f'oor:op="fuse"><value>{value}</value></prop></item>\n'
    )


def apply_settings(profile: Path) -> None:
    """Write the settings into ``profile`` (a ``-env:UserInstallation`` folder). A file
    LibreOffice wrote keeps its other items; ours are added after them, so they win
    over an earlier value of the same key."""
    target = profile / _FILE
    try:
        existing = target.read_text("utf-8")
    except FileNotFoundError:
        existing = ""
    missing = "".join(
        item for item in (_item(*setting) for setting in SETTINGS) if item not in existing
    )
    if not missing:
        return
    end = existing.rfind(_TAIL.strip())
    text = existing[:end] + missing + existing[end:] if end >= 0 else _HEAD + missing + _TAIL
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".kkr-tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(target)
