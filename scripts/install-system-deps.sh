#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: PostgreSQL (a real server for the
# PostgreSQL run), Chromium (browser tests), gettext (the catalogue check), the Noto fonts
# WeasyPrint needs to print Arabic and Chinese letters, and poppler-utils (pdftotext, to
# read the printed letters back in tests), npm (installs axe-core for the accessibility
# browser tests), and ffmpeg (ffprobe and ffmpeg check uploaded videos and copy them without
# their location; the server needs it too). Does nothing when all are present.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# xgettext: the catalogue test extracts the strings afresh to find untranslated ones.
command -v xgettext >/dev/null || missing+=(gettext)
# Letters (WeasyPrint, on Debian's pango): Latin, Cyrillic and Arabic glyphs, then CJK.
ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || missing+=(fonts-noto-core)
compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK-*" >/dev/null || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(npm)
{ command -v ffmpeg && command -v ffprobe; } >/dev/null || missing+=(ffmpeg)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "make test needs the Debian packages: ${missing[*]}." >&2
  echo "Install them as root:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
