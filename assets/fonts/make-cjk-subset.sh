#!/bin/sh
# Regenerates assets/fonts/NotoSansSC-synack.otf: Noto Sans CJK SC cut down to the
# characters the shipped CJK translations use (plus CJK punctuation), so the window,
# the ladder's PNG and the tests draw Chinese on machines without a CJK font.
# Run it after editing assets/i18n/zh-CN.ftl (the test `cjk_font_covers_the_translation`
# fails until you do). Needs: apt-get install fonts-noto-cjk python3-fonttools
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source_font=${NOTO_CJK:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
# Index 2 of the collection is Simplified Chinese (fc-list :lang=zh-cn family index).
index=${NOTO_CJK_INDEX:-2}
text=$(mktemp)
trap 'rm -f "$text"' EXIT
cat "$here"/../i18n/zh-CN.ftl > "$text"
# Full-width punctuation a translator may reach for, so a new sentence rarely needs a rerun.
printf '%s\n' '，。、；：？！“”‘’（）《》【】…—～·' >> "$text"
/usr/bin/python3 -m fontTools.subset "$source_font" --font-number="$index" \
    --text-file="$text" --layout-features='*' --no-hinting --desubroutinize \
    --name-IDs='*' --output-file="$here/NotoSansSC-synack.otf"
ls -l "$here/NotoSansSC-synack.otf"
