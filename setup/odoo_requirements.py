"""Print the Python requirements of an Odoo 18.0 source tree, installable here.

Odoo pins, per Python version, the versions shipped by Debian and Ubuntu.  The
pins it gives for Python 3.11 do not all build on current toolchains, while the
ones it gives for Python >= 3.12 install from wheels on 3.11 as well.  This
script keeps, for every package, the line whose environment marker holds for
Python 3.12, drops Windows-only packages and python-ldap (LDAP login only, needs
system headers), and prints plain requirement lines for pip.

Usage: python3 setup/odoo_requirements.py ODOO_SOURCE/requirements.txt
"""

import sys

from packaging.markers import Marker

ENVIRONMENT = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
}
SKIPPED = {"python-ldap"}


def requirements(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, _sep, marker = line.partition(";")
        requirement = requirement.strip()
        name = requirement.split("=")[0].split("<")[0].split(">")[0].strip()
        if name.lower() in SKIPPED:
            continue
        if marker.strip() and not Marker(marker.strip()).evaluate(ENVIRONMENT):
            continue
        yield requirement


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1])))
