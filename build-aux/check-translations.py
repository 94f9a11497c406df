#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The translation tests (suite 'po'), one command each:

  complete PO...        msgfmt --check passes and reports no fuzzy or
                        untranslated message
  current SRCROOT PO... every message xgettext finds in the files of
                        po/POTFILES.in is in each PO (the template and the
                        translations have been updated since sources changed),
                        and no message is cut short by a format macro
  runs PTLAB LANG       `ptlab describe models` in LANG prints that language
                        (only ko is known: it must contain Hangul)
"""
import os
import re
import subprocess
import sys
import tempfile

# The arguments of meson's i18n preset 'glib' (mesonbuild/modules/i18n.py,
# PRESET_ARGS), which po/meson.build uses to make po/ptlab.pot: the test must
# find exactly the messages the template gets. xgettext's default C keywords
# (gettext, ngettext, …) stay on, as they do for meson.
GLIB_PRESET_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$')


def messages(path):
    """The (msgctxt, msgid) pairs of a .po or .pot, obsolete (#~) ones left out."""
    found = set()
    ctxt = msgid = last = None

    def flush():
        if msgid:  # the header has an empty msgid
            found.add((ctxt, msgid))

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line.startswith('#') or not line:
                continue
            m = KEYWORD.match(line)
            if m:
                key, text = m.groups()
                if key == 'msgctxt' or (key == 'msgid' and last not in ('msgctxt',)):
                    flush()
                    ctxt = msgid = None
                if key == 'msgctxt':
                    ctxt = text
                elif key == 'msgid':
                    msgid = text
                last = key
            elif line.startswith('"') and last in ('msgctxt', 'msgid'):
                if last == 'msgctxt':
                    ctxt += line[1:-1]
                else:
                    msgid += line[1:-1]
    flush()
    return found


def complete(pos):
    failed = False
    for po in pos:
        run = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                             capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
        report = run.stderr.strip()
        print(f'{os.path.basename(po)}: {report}')
        if run.returncode != 0 or 'fuzzy' in report or 'untranslated' in report:
            print(f'FAIL: {po} must pass msgfmt --check with no fuzzy and no untranslated '
                  'message (meson compile -C _build ptlab-update-po, then translate)')
            failed = True
    return 1 if failed else 0


def current(srcroot, pos):
    with open(os.path.join(srcroot, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        files = [line.strip() for line in f if line.strip() and not line.startswith('#')]
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'sources.pot')
        run = subprocess.run(['xgettext', '--package-name=ptlab', '--directory', srcroot,
                              '--output', pot] + GLIB_PRESET_ARGS + files,
                             capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
        if run.returncode != 0:
            print(run.stderr)
            return 1
        wanted = messages(pot)
    print(f'{len(wanted)} messages in the sources')
    failed = False
    # A format macro glued into a message (G_GINT64_FORMAT) cuts its msgid
    # short: it can never be translated. PRId64 and %zu are understood.
    # xgettext warns only where it knows the function takes a format.
    for line in run.stderr.splitlines():
        if 'valid C format string' in line:
            print(f'FAIL: {line}')
            failed = True
    for ctxt, msgid in sorted(wanted, key=lambda m: m[1]):
        if msgid != '%' and re.search(r'(?<!%)(%%)*%$', msgid):  # "%" alone is a unit
            print(f'FAIL: “{msgid}” ends in a lone “%”: a format macro cut it short '
                  '(use PRId64, PRIu64, %zu)')
            failed = True
    for po in pos:
        missing = sorted(wanted - messages(po), key=lambda m: (m[1], m[0] or ''))
        for ctxt, msgid in missing:
            where = f' (context “{ctxt}”)' if ctxt else ''
            print(f'FAIL: {os.path.basename(po)} lacks “{msgid}”{where}')
        failed = failed or bool(missing)
    if failed:
        print('Run meson compile -C _build ptlab-pot and ptlab-update-po, translate, commit.')
    return 1 if failed else 0


def runs(ptlab, lang):
    scripts = {'ko': re.compile('[\uac00-\ud7a3]')}  # Hangul syllables
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE=lang)
    out = subprocess.run([ptlab, 'describe', 'models'], capture_output=True, text=True,
                         env=env, check=True).stdout
    if not scripts[lang].search(out):
        print(f'FAIL: LANGUAGE={lang} ptlab describe models printed no {lang} text:\n{out[:400]}')
        return 1
    print(out.splitlines()[0])
    return 0


if __name__ == '__main__':
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'complete':
        sys.exit(complete(args))
    if command == 'current':
        sys.exit(current(args[0], args[1:]))
    if command == 'runs':
        sys.exit(runs(args[0], args[1]))
    sys.exit(f'unknown command {command}')
