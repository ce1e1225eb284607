#!/bin/sh
# Re-extract the GUI's strings and merge them into the Danish catalog; then translate the
# new entries in resources/locale/da/LC_MESSAGES/messages.po and run compile_translations.py.
set -e
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _ -k ngettext:1,2 --no-location --sort-output \
    --project="KKR Dagsorden" -o resources/locale/messages.pot .
if [ -f resources/locale/da/LC_MESSAGES/messages.po ]; then
    pybabel update -i resources/locale/messages.pot -d resources/locale -l da --no-fuzzy-matching -w 100
else
    pybabel init -i resources/locale/messages.pot -d resources/locale -l da -w 100
fi
