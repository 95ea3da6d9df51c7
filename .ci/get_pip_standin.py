# ansible-test get-pip stand-in (written by saasops.okta_m2m .ci/install-get-pip-standin).
#
# `ansible-test ... --venv` creates each virtual environment with `python -m venv --without-pip`
# and then bootstraps pip by running a get-pip.py that it downloads from ci-files.testing.ansible.com
# and caches as ~/.ansible/test/cache/get_pip_<version>.py. That host is unreachable here, so this
# file is placed at the cache path instead. ansible-test runs it (through its quiet_pip wrapper,
# with runpy, as __main__) in the new venv's interpreter with arguments such as
#     --disable-pip-version-check pip==25.2 --no-setuptools --no-wheel
# and we do what get-pip.py does: put pip into the environment (from the interpreter's bundled
# wheel, via ensurepip) and then `pip install` the requested packages from the configured index.
import subprocess
import sys


def main():
    args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    if any(not a.startswith('-') for a in args):
        subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)


main()
