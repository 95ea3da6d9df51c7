# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation site (gate ``docs``): the guides and the offline settings antsibull-docs' Sphinx template lacks,
and a smoke check of the built HTML.

    python tests/docs/site.py guides SITE_DIR COLLECTION_DIR   # after `antsibull-docs collection` wrote SITE_DIR/rst
    python tests/docs/site.py check SITE_DIR COLLECTION_DIR    # after sphinx-build wrote SITE_DIR/build/html
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import sys
import zlib

COLLECTION = "saasops.okta_m2m"
GUIDES = "guides"
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# The labels of the Ansible docsite that antsibull-docs' pages refer to. CI reaches only PyPI, so Sphinx cannot
# fetch the docsite's objects.inv; these entries (label, page#anchor, title, as the docsite publishes them) make
# the references resolve to the same links, and any other unresolved reference still fails the build.
ANSIBLE_LABELS = (
    ("action_plugins", "plugins/action.html#action-plugins", "Action plugins"),
    ("common_return_values", "reference_appendices/common_return_values.html#common-return-values", "Return Values"),
    ("ansible_configuration_settings", "reference_appendices/config.html#ansible-configuration-settings",
     "Ansible Configuration Settings"),
)
CONF_ADDITIONS = """
# Added by tests/docs/site.py: the guides in docs/ are Markdown, and the build is offline.
extensions.append('myst_parser')
myst_heading_anchors = 3
intersphinx_mapping = {'ansible_devel': (%r, %r)}
"""


def write_inventory(path: str) -> None:
    """A Sphinx objects.inv (version 2) holding ANSIBLE_LABELS."""
    lines = "".join("%s std:label -1 %s %s\n" % (label, uri, title) for label, uri, title in ANSIBLE_LABELS)
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
    with open(path, "wb") as stream:
        stream.write(header.encode("utf-8") + zlib.compress(lines.encode("utf-8")))


def guide_title(path: str) -> str:
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("# "):
                return line[2:].strip()
    raise SystemExit("%s has no '# ' title line" % path)


def add_guides(site: str, collection: str) -> None:
    """docs/*.md become SITE/rst/guides/, listed on the site's front page beside the collection's pages."""
    rst = os.path.join(site, "rst")
    guides = sorted(glob.glob(os.path.join(collection, "docs", "*.md")))
    if not guides:
        raise SystemExit("no guides in %s/docs" % collection)
    os.makedirs(os.path.join(rst, GUIDES), exist_ok=True)
    for guide in guides:
        shutil.copy(guide, os.path.join(rst, GUIDES, os.path.basename(guide)))
    with open(os.path.join(rst, "index.rst"), "a", encoding="utf-8") as stream:
        stream.write("\n.. toctree::\n   :maxdepth: 1\n   :caption: Guides:\n\n")
        for guide in guides:
            stream.write("   %s/%s\n" % (GUIDES, os.path.splitext(os.path.basename(guide))[0]))
    inventory = os.path.abspath(os.path.join(site, "ansible_devel.inv"))
    write_inventory(inventory)
    with open(os.path.join(site, "conf.py"), "a", encoding="utf-8") as stream:
        stream.write(CONF_ADDITIONS % (ANSIBLE_DOCS, inventory))
    print("guides: " + ", ".join(guide_title(guide) for guide in guides))


def page_text(path: str) -> str:
    if not os.path.isfile(path):
        raise FileNotFoundError(path)
    with open(path, encoding="utf-8") as stream:
        return re.sub(r"<[^>]+>", " ", stream.read())


def check(site: str, collection: str) -> int:
    """Every module of plugins/modules (and the role, the filters, the guides) has its page naming it by its full
    name, and the collection's index lists and links every module."""
    html = os.path.join(site, "build", "html")
    pages = os.path.join(html, "collections", *COLLECTION.split("."))
    modules = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(collection, "plugins", "modules", "*.py"))
                     if not os.path.basename(path).startswith("_"))
    filters = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(collection, "plugins", "filter", "*.yml")))
    roles = sorted(os.path.basename(path) for path in glob.glob(os.path.join(collection, "roles", "*")))
    guides = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(collection, "docs", "*.md")))
    expected = [("module", name, os.path.join(pages, name + "_module.html")) for name in modules]
    expected += [("filter", name, os.path.join(pages, name + "_filter.html")) for name in filters]
    expected += [("role", name, os.path.join(pages, name + "_role.html")) for name in roles]
    problems = []
    for kind, name, path in expected:
        try:
            if "%s.%s" % (COLLECTION, name) not in page_text(path):
                problems.append("%s %s: %s does not name %s.%s" % (kind, name, path, COLLECTION, name))
        except FileNotFoundError:
            problems.append("%s %s: no page %s" % (kind, name, path))
    with open(os.path.join(pages, "index.html"), encoding="utf-8") as stream:
        index = stream.read()
    problems += ["the collection index does not list module %s" % name for name in modules
                 if 'href="%s_module.html' % name not in index or "%s module" % name not in index]
    for name in guides:
        if not os.path.isfile(os.path.join(html, GUIDES, name + ".html")):
            problems.append("guide docs/%s.md: no page %s/%s.html" % (name, GUIDES, name))
    for problem in problems:
        print("FAIL: " + problem)
    print("%d modules, %d filters, %d roles, %d guides checked; %d problems" % (len(modules), len(filters), len(roles), len(guides), len(problems)))
    return 1 if problems or not modules else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["guides", "check"])
    parser.add_argument("site")
    parser.add_argument("collection")
    arguments = parser.parse_args(argv)
    if arguments.action == "guides":
        add_guides(arguments.site, arguments.collection)
        return 0
    return check(arguments.site, arguments.collection)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
